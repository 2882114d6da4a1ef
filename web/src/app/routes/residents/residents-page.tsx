import { PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Dropdown, Flex, Grid, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useDeleteResident, useResidents, useRestoreResident } from '@/features/residents/api.ts';
import {
  ageBands,
  ResidentFilters,
  type ResidentFilterValues,
} from '@/features/residents/components/resident-filters.tsx';
import {
  optionalResidentColumns,
  ResidentsTable,
  type OptionalResidentColumn,
} from '@/features/residents/components/residents-table.tsx';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useStoredState } from '@/lib/use-stored-state.ts';
import { t } from '@/locales/zh-CN/index.ts';

const columnLabels: Record<OptionalResidentColumn, string> = {
  gender: t.residents.fields.gender,
  ethnicity: t.residents.fields.ethnicity,
  idNumber: t.residents.fields.idNumber,
  birthDate: t.residents.fields.birthDate,
  phone: t.residents.fields.phone,
  relationToHead: t.residents.fields.relationToHead,
  residenceType: t.residents.fields.residenceType,
  flags: t.residents.fields.flags,
};

/** The residents register of the selected org unit; filters, sort and page live in the address. */
function ResidentsPage() {
  const { message } = App.useApp();
  const me = useMe().data!;
  const isDesktop = Grid.useBreakpoint().md !== false;
  const { orgUnitId } = useSelectedOrg();
  const [params, setParams] = useSearchParams();
  const [columns, setColumns] = useStoredState<OptionalResidentColumn[]>('shiliuzi.residents.columns', [
    ...optionalResidentColumns,
  ]);
  const filters: ResidentFilterValues = {
    q: params.get('q') ?? undefined,
    grid: params.get('grid') ?? undefined,
    ethnicity: params.get('ethnicity') ?? undefined,
    residenceType: params.get('residenceType') ?? undefined,
    flags: params.get('flags')?.split(',').filter(Boolean),
    ageBand: params.get('ageBand') ?? undefined,
    deleted: params.get('deleted') === '1' || undefined,
    review: params.get('review') === '1' || undefined,
  };
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const sort = params.get('sort') ?? 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const [ageMin, ageMax] = filters.ageBand ? (ageBands[filters.ageBand] ?? []) : [];

  const residents = useResidents(
    {
      orgUnitId: filters.grid ?? orgUnitId,
      q: filters.q,
      ethnicityCode: filters.ethnicity === 'minority' ? undefined : filters.ethnicity,
      minority: filters.ethnicity === 'minority' ? true : undefined,
      residenceType: filters.residenceType,
      flags: filters.flags,
      ageMin,
      ageMax,
      deleted: filters.deleted ? 'all' : undefined,
      review: filters.review,
      sort,
      order,
      page,
      pageSize,
    },
    orgUnitId !== undefined,
  );
  const remove = useDeleteResident();
  const restore = useRestoreResident();

  const update = (patch: Record<string, string | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
      }
      return next;
    });
  const handleFilters = (values: ResidentFilterValues) =>
    update({
      q: values.q,
      grid: values.grid,
      ethnicity: values.ethnicity,
      residenceType: values.residenceType,
      flags: values.flags?.join(','),
      ageBand: values.ageBand,
      deleted: values.deleted ? '1' : undefined,
      review: values.review ? '1' : undefined,
      page: undefined,
    });
  const linkTo = (id: string, suffix = '') => `/residents/${id}${suffix}?org=${orgUnitId}`;
  const canEdit = canEditRegistry(me.roles);

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t.residents.title}
        </Typography.Title>
        <Flex gap={8}>
          {isDesktop && (
            <Dropdown
              trigger={['click']}
              popupRender={() => (
                <div className="dropdown-panel">
                  <Checkbox.Group
                    style={{ display: 'grid', gap: 6 }}
                    value={columns}
                    options={optionalResidentColumns.map((c) => ({ value: c, label: columnLabels[c] }))}
                    onChange={(value) => setColumns(value as OptionalResidentColumn[])}
                  />
                </div>
              )}
            >
              <Button icon={<SettingOutlined />}>{t.common.columns}</Button>
            </Dropdown>
          )}
          {canEdit && (
            <Link to={`/residents/new?org=${orgUnitId}`}>
              <Button type="primary" icon={<PlusOutlined />}>
                {t.residents.create}
              </Button>
            </Link>
          )}
        </Flex>
      </Flex>
      {orgUnitId && <ResidentFilters orgUnitId={orgUnitId} values={filters} onChange={handleFilters} />}
      {residents.isError && <Typography.Text type="danger">{residents.error.message}</Typography.Text>}
      <ResidentsTable
        page={residents.data}
        loading={residents.isFetching}
        visibleColumns={columns}
        sort={sort}
        order={order}
        linkTo={linkTo}
        canEdit={canEdit}
        onPageChange={(p, size) => update({ page: String(p), pageSize: String(size) })}
        onSortChange={(s, o) => update({ sort: s, order: o, page: undefined })}
        onDelete={(r) =>
          remove.mutate(
            { id: r.id, version: r.version },
            {
              onSuccess: () => message.success(t.common.deletedOk),
              onError: (e) => message.error(e.message),
            },
          )
        }
        onRestore={(r) =>
          restore.mutate(
            { id: r.id, version: r.version },
            {
              onSuccess: () => message.success(t.common.restoredOk),
              onError: (e) => message.error(e.message),
            },
          )
        }
      />
    </>
  );
}

export { ResidentsPage as Component };
