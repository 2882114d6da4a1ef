import { Button, Input, Select, Space, Switch, Typography } from 'antd';
import { ethnicGroups } from '@shiliuzi/shared/ethnicity';
import { residenceTypes, residentFlags } from '@shiliuzi/shared/registry';
import { useOrgChildren } from '@/features/org-units/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** Age bands offered as filters, as inclusive [min, max] ages. */
export const ageBands: Record<string, [number | undefined, number | undefined]> = {
  child: [0, 17],
  youth: [18, 34],
  middle: [35, 59],
  elderly: [60, undefined],
};

export interface ResidentFilterValues {
  q?: string | undefined;
  grid?: string | undefined;
  ethnicity?: string | undefined;
  residenceType?: string | undefined;
  flags?: string[] | undefined;
  ageBand?: string | undefined;
  deleted?: boolean | undefined;
  /** Only residents an import held for review (待核实). */
  review?: boolean | undefined;
}

export interface ResidentFiltersProps {
  orgUnitId: string;
  values: ResidentFilterValues;
  onChange: (values: ResidentFilterValues) => void;
}

const ethnicityOptions = [
  { value: 'minority', label: t.residents.minorityOnly },
  ...ethnicGroups.map((g) => ({ value: g.code, label: g.name })),
];

/** Search box and filters of the residents register; every change goes to the server. */
export function ResidentFilters({ orgUnitId, values, onChange }: ResidentFiltersProps) {
  const children = useOrgChildren(orgUnitId);
  const set = (patch: ResidentFilterValues) => onChange({ ...values, ...patch });
  const childOptions = (children.data ?? []).map((unit) => ({ value: unit.id, label: unit.name }));
  return (
    <Space wrap size={[8, 8]} style={{ marginBottom: 12 }}>
      <Input.Search
        key={values.q ?? ''}
        defaultValue={values.q}
        placeholder={t.residents.searchPlaceholder}
        aria-label={t.residents.searchPlaceholder}
        allowClear
        enterButton={t.common.search}
        onSearch={(q) => set({ q: q.trim() || undefined })}
        style={{ width: 300, maxWidth: '100%' }}
      />
      {childOptions.length > 0 && (
        <Select
          aria-label={t.residents.fields.grid}
          placeholder={t.residents.fields.grid}
          allowClear
          value={values.grid}
          options={childOptions}
          onChange={(grid) => set({ grid })}
          style={{ width: 150 }}
        />
      )}
      <Select
        aria-label={t.residents.fields.ethnicity}
        placeholder={t.residents.fields.ethnicity}
        allowClear
        showSearch={{ optionFilterProp: 'label' }}
        value={values.ethnicity}
        options={ethnicityOptions}
        onChange={(ethnicity) => set({ ethnicity })}
        style={{ width: 140 }}
      />
      <Select
        aria-label={t.residents.fields.residenceType}
        placeholder={t.residents.fields.residenceType}
        allowClear
        value={values.residenceType}
        options={residenceTypes.map((r) => ({ value: r, label: t.registry.residenceTypes[r] }))}
        onChange={(residenceType) => set({ residenceType })}
        style={{ width: 120 }}
      />
      <Select
        aria-label={t.residents.fields.flags}
        placeholder={t.residents.fields.flags}
        allowClear
        mode="multiple"
        maxTagCount="responsive"
        value={values.flags ?? []}
        options={residentFlags.map((f) => ({ value: f, label: t.registry.flags[f] }))}
        onChange={(flags: string[]) => set({ flags: flags.length ? flags : undefined })}
        style={{ width: 180 }}
      />
      <Select
        aria-label={t.residents.fields.ageBand}
        placeholder={t.residents.fields.ageBand}
        allowClear
        value={values.ageBand}
        options={Object.keys(ageBands).map((band) => ({ value: band, label: t.residents.ageBands[band] }))}
        onChange={(ageBand) => set({ ageBand })}
        style={{ width: 130 }}
      />
      <Space size={4}>
        <Switch
          size="small"
          checked={values.review ?? false}
          onChange={(review) => set({ review: review || undefined })}
          aria-label={t.residents.reviewOnly}
        />
        <Typography.Text>{t.residents.reviewOnly}</Typography.Text>
      </Space>
      <Space size={4}>
        <Switch
          size="small"
          checked={values.deleted ?? false}
          onChange={(deleted) => set({ deleted: deleted || undefined })}
          aria-label={t.common.showDeleted}
        />
        <Typography.Text>{t.common.showDeleted}</Typography.Text>
      </Space>
      <Button onClick={() => onChange({})}>{t.common.reset}</Button>
    </Space>
  );
}
