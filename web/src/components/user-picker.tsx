import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import type { PickableUser } from '@shiliuzi/shared/users';
import { api } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface UserPickerProps<V extends string | string[]> {
  value?: V;
  onChange?: (value: V) => void;
  /** Users already named on the record, shown before any search. */
  known?: { value: string; label: string }[];
  multiple?: boolean;
  id?: string;
  placeholder?: string;
}

/**
 * Users of the signed-in user's subtree (visitors, paired cadres, assignees), searched by name on
 * the server (`GET /api/users/pickable`): the one picker every casework form uses.
 */
export function UserPicker<V extends string | string[]>({
  value,
  onChange,
  known = [],
  multiple = false,
  id,
  placeholder,
}: UserPickerProps<V>) {
  const [q, setQ] = useState('');
  const users = useQuery({
    queryKey: ['users', 'pickable', q],
    queryFn: () => api<PickableUser[]>('/api/users/pickable', { query: { q } }),
    staleTime: 60_000,
  });
  const found = (users.data ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.orgUnitName}）` }));
  const seen = new Set(found.map((o) => o.value));
  return (
    <Select
      id={id}
      mode={multiple ? 'multiple' : undefined}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear
      value={value}
      onChange={onChange}
      loading={users.isFetching}
      placeholder={placeholder ?? t.users.pickerPlaceholder}
      notFoundContent={users.isFetching ? t.common.loading : t.users.pickerEmpty}
      options={[...found, ...known.filter((o) => !seen.has(o.value))]}
      style={{ width: '100%' }}
    />
  );
}
