import { Button, Card, Grid, List, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import { Link } from 'react-router';
import type { Page } from '@shiliuzi/shared/api';
import type { ResidentSummary } from '@shiliuzi/shared/residents';
import { MaskedValue } from '@/features/residents/components/masked-value.tsx';
import { ResidentFlags } from '@/features/residents/components/resident-flags.tsx';
import { ageOf, ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** Columns the user can hide or show (name and actions always stay). */
export const optionalResidentColumns = [
  'gender',
  'ethnicity',
  'idNumber',
  'birthDate',
  'phone',
  'relationToHead',
  'residenceType',
  'flags',
] as const;
export type OptionalResidentColumn = (typeof optionalResidentColumns)[number];

export interface ResidentsTableProps {
  page: Page<ResidentSummary> | undefined;
  loading: boolean;
  visibleColumns: OptionalResidentColumn[];
  sort: string;
  order: 'asc' | 'desc';
  /** Builds the link to a resident's page, e.g. `''` for the detail, `'/edit'` for the form. */
  linkTo: (id: string, suffix?: string) => string;
  canEdit: boolean;
  onPageChange: (page: number, pageSize: number) => void;
  onSortChange: (sort: string, order: 'asc' | 'desc') => void;
  onDelete: (resident: ResidentSummary) => void;
  onRestore: (resident: ResidentSummary) => void;
}

const sortable: Record<string, string> = { name: 'name', ethnicity: 'ethnicityCode', birthDate: 'birthDate' };

/** The residents register: a table on a desk, cards on a phone; paging and sorting on the server. */
export function ResidentsTable(props: ResidentsTableProps) {
  const { page, loading, visibleColumns, linkTo, canEdit } = props;
  const screens = Grid.useBreakpoint();
  const pagination: TablePaginationConfig = {
    current: page?.page ?? 1,
    pageSize: page?.pageSize ?? 20,
    total: page?.total ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    showTotal: (total) => t.common.total(total),
    onChange: props.onPageChange,
    size: screens.md ? undefined : 'small',
  };
  const sortOrder = (key: string) =>
    sortable[key] === props.sort ? (props.order === 'asc' ? 'ascend' : 'descend') : null;
  const f = t.residents.fields;

  const actions = (r: ResidentSummary) =>
    !canEdit ? null : r.deletedAt ? (
      <Button size="small" type="link" onClick={() => props.onRestore(r)}>
        {t.common.restore}
      </Button>
    ) : (
      <Space size={0}>
        <Link to={linkTo(r.id, '/edit')}>
          <Button size="small" type="link">
            {t.common.edit}
          </Button>
        </Link>
        <Popconfirm
          title={t.residents.deleteConfirm(r.name)}
          okText={t.common.delete}
          okButtonProps={{ danger: true }}
          cancelText={t.common.cancel}
          onConfirm={() => props.onDelete(r)}
        >
          <Button size="small" type="link" danger>
            {t.common.delete}
          </Button>
        </Popconfirm>
      </Space>
    );

  if (!screens.md) {
    return (
      <List
        loading={loading}
        dataSource={page?.items ?? []}
        pagination={{
          current: pagination.current,
          pageSize: pagination.pageSize,
          total: pagination.total,
          onChange: props.onPageChange,
          align: 'center',
          simple: true,
        }}
        locale={{ emptyText: t.common.noData }}
        renderItem={(r) => (
          <List.Item style={{ padding: '6px 0', border: 'none' }}>
            <Card size="small" style={{ width: '100%' }} data-testid="resident-card">
              <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                <Space wrap>
                  <Link to={linkTo(r.id)}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                  </Link>
                  <Typography.Text type="secondary">
                    {t.registry.genders[r.gender]} · {ethnicityName(r.ethnicityCode)}
                    {ageOf(r.birthDate) !== null ? ` · ${ageOf(r.birthDate)}岁` : ''}
                  </Typography.Text>
                  {r.deletedAt && <Tag>{t.common.deleted}</Tag>}
                </Space>
                <MaskedValue residentId={r.id} field="idNumber" masked={r.idNumber} />
                <Space wrap size={4}>
                  <Tag>{t.registry.residenceTypes[r.residenceType]}</Tag>
                  <ResidentFlags flags={r.flags} reviewFlag={r.reviewFlag} />
                </Space>
                {actions(r)}
              </Space>
            </Card>
          </List.Item>
        )}
      />
    );
  }

  const all: ColumnsType<ResidentSummary> = [
    {
      key: 'name',
      title: f.name,
      dataIndex: 'name',
      sorter: true,
      sortOrder: sortOrder('name'),
      fixed: 'left',
      width: 110,
      render: (name: string, r) => (
        <Space size={4}>
          <Link to={linkTo(r.id)}>{name}</Link>
          {r.deletedAt && <Tag>{t.common.deleted}</Tag>}
        </Space>
      ),
    },
    { key: 'gender', title: f.gender, width: 60, render: (_, r) => t.registry.genders[r.gender] },
    {
      key: 'ethnicity',
      title: f.ethnicity,
      width: 90,
      sorter: true,
      sortOrder: sortOrder('ethnicity'),
      render: (_, r) => ethnicityName(r.ethnicityCode),
    },
    {
      key: 'idNumber',
      title: f.idNumber,
      width: 250,
      render: (_, r) => <MaskedValue residentId={r.id} field="idNumber" masked={r.idNumber} />,
    },
    {
      key: 'birthDate',
      title: f.birthDate,
      width: 150,
      sorter: true,
      sortOrder: sortOrder('birthDate'),
      render: (_, r) => (r.birthDate ? `${r.birthDate}（${ageOf(r.birthDate)}岁）` : t.common.none),
    },
    {
      key: 'phone',
      title: f.phone,
      width: 190,
      render: (_, r) => <MaskedValue residentId={r.id} field="phone" masked={r.phone} />,
    },
    {
      key: 'relationToHead',
      title: f.relationToHead,
      width: 100,
      render: (_, r) => (r.relationToHead ? t.registry.householdRelations[r.relationToHead] : t.common.none),
    },
    {
      key: 'residenceType',
      title: f.residenceType,
      width: 90,
      render: (_, r) => t.registry.residenceTypes[r.residenceType],
    },
    {
      key: 'flags',
      title: f.flags,
      render: (_, r) => <ResidentFlags flags={r.flags} reviewFlag={r.reviewFlag} />,
    },
    { key: 'actions', title: t.common.actions, width: 130, fixed: 'right', render: (_, r) => actions(r) },
  ];
  const columns = all.filter(
    (c) =>
      c.key === 'name' || c.key === 'actions' || visibleColumns.includes(c.key as OptionalResidentColumn),
  );
  return (
    <Table<ResidentSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={page?.items ?? []}
      pagination={pagination}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t.common.noData }}
      onChange={(_pagination, _filters, sorter, extra) => {
        if (extra.action !== 'sort') return;
        const s = sorter as SorterResult<ResidentSummary>;
        const key = sortable[String(s.columnKey)];
        if (key && s.order) props.onSortChange(key, s.order === 'ascend' ? 'asc' : 'desc');
        else props.onSortChange('name', 'asc');
      }}
    />
  );
}
