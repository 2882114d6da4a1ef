import { Select } from 'antd';
import { useState } from 'react';
import { useHouseholds } from '@/features/households/api.ts';
import { useResidents } from '@/features/residents/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

interface PickerProps<V> {
  orgUnitId: string;
  value?: V;
  onChange?: (value: V) => void;
  /** Options already known (the record being edited), shown before any search. */
  known?: { value: string; label: string }[];
  id?: string;
}

function mergeOptions(found: { value: string; label: string }[], known: { value: string; label: string }[]) {
  const seen = new Set(found.map((o) => o.value));
  return [...found, ...known.filter((o) => !seen.has(o.value))];
}

/** Residents of the org unit's subtree, searched on the server by name, ID number or phone. */
export function ResidentPicker({
  orgUnitId,
  value,
  onChange,
  known = [],
  id,
  multiple = false,
}: PickerProps<string | string[]> & { multiple?: boolean }) {
  const [q, setQ] = useState('');
  const residents = useResidents({ orgUnitId, q: q || undefined, pageSize: 20 });
  const options = mergeOptions(
    (residents.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.name}（${r.idNumber ?? ''}）` })),
    known,
  );
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={onChange}
      loading={residents.isFetching}
      placeholder={t.casework.visits.residentSearch}
      options={options}
      style={{ width: '100%' }}
    />
  );
}

/** Households of the org unit's subtree, searched by number, address or the head's name. */
export function HouseholdPicker({
  orgUnitId,
  value,
  onChange,
  known = [],
  id,
  multiple = false,
}: PickerProps<string | string[]> & { multiple?: boolean }) {
  const [q, setQ] = useState('');
  const households = useHouseholds({ orgUnitId, q: q || undefined, pageSize: 20 });
  const options = mergeOptions(
    (households.data?.items ?? []).map((h) => ({
      value: h.id,
      label:
        [h.householdNumber, h.headName, h.address ?? h.dwellingAddress].filter(Boolean).join(' · ') ||
        h.id.slice(0, 8),
    })),
    known,
  );
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={onChange}
      loading={households.isFetching}
      placeholder={t.casework.pairings.householdSearch}
      options={options}
      style={{ width: '100%' }}
    />
  );
}
