import {
  App,
  Button,
  Card,
  DatePicker,
  Grid,
  Input,
  List,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { formatFen, visitPurposes, type Visit } from '@shiliuzi/shared/casework-visits';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useVisits } from '@/features/visits/api.ts';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { downloadFile } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** Visits of the selected org unit: filtered by purpose and period, searched, paged on the server. */
function VisitsPage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const list = useListParams();
  const screens = Grid.useBreakpoint();
  const query = {
    orgUnitId,
    purpose: list.get('purpose'),
    from: list.get('from'),
    to: list.get('to'),
    q: list.get('q'),
    includeDeleted: list.get('deleted') === 'all' ? true : undefined,
    order: 'desc' as const,
    page: list.page,
    pageSize: list.pageSize,
  };
  const visits = useVisits(query, orgUnitId !== undefined);
  const v = t.casework.visits;
  const link = (visit: Visit) => `/visits/${visit.id}?org=${orgUnitId}`;
  const who = (visit: Visit) =>
    [...visit.residents.map((r) => r.name), ...visit.households.map((h) => h.label)].join('、') ||
    t.common.none;
  const pagination = paginationOf(visits.data, list, t.common.total);
  const range =
    list.get('from') && list.get('to')
      ? ([dayjs(list.get('from')), dayjs(list.get('to'))] as [dayjs.Dayjs, dayjs.Dayjs])
      : null;

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{v.title}</Typography.Title>
        <Space>
          <Button
            onClick={async () => {
              const { includeDeleted: _d, order: _o, page: _p, pageSize: _s, ...filter } = query;
              try {
                message.success(t.casework.exported(await downloadFile('/api/visits/export', filter)));
              } catch (error) {
                message.error((error as Error).message);
              }
            }}
          >
            {t.casework.exportRegister}
          </Button>
          {me.data && canEditRegistry(me.data.roles) && (
            <Link to={`/visits/new?org=${orgUnitId}`}>
              <Button type="primary">{v.create}</Button>
            </Link>
          )}
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={list.get('q') ?? ''}
          defaultValue={list.get('q')}
          allowClear
          enterButton={t.common.search}
          placeholder={v.searchPlaceholder}
          aria-label={v.searchPlaceholder}
          onSearch={(value) => list.set({ q: value.trim() || undefined })}
          style={{ maxWidth: 320 }}
        />
        <Select
          allowClear
          placeholder={v.fields.purpose}
          aria-label={v.fields.purpose}
          value={list.get('purpose')}
          onChange={(value?: string) => list.set({ purpose: value })}
          options={visitPurposes.map((p) => ({ value: p, label: t.casework.visitPurposes[p] }))}
          style={{ width: 140 }}
        />
        <DatePicker.RangePicker
          value={range}
          placeholder={[v.from, v.to]}
          onChange={(dates) =>
            list.set({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD') })
          }
        />
        <Select
          value={list.get('deleted') ?? 'live'}
          onChange={(value: string) => list.set({ deleted: value === 'all' ? 'all' : undefined })}
          options={[
            { value: 'live', label: t.common.all },
            { value: 'all', label: t.common.showDeleted },
          ]}
          style={{ width: 110 }}
        />
      </Space>
      {screens.md === false ? (
        <List
          loading={visits.isFetching}
          dataSource={visits.data?.items ?? []}
          pagination={{ ...pagination, simple: true, align: 'center', showTotal: undefined }}
          renderItem={(visit) => (
            <List.Item style={{ border: 'none', padding: '6px 0' }}>
              <Card size="small" style={{ width: '100%' }}>
                <Space orientation="vertical" size={2}>
                  <Link to={link(visit)}>
                    <Typography.Text strong>
                      {visit.visitedOn} {t.casework.visitPurposes[visit.purpose]}
                    </Typography.Text>
                  </Link>
                  <Typography.Text type="secondary">{who(visit)}</Typography.Text>
                  {visit.deletedAt && <Tag>{t.common.deleted}</Tag>}
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Visit>
          rowKey="id"
          size="middle"
          loading={visits.isFetching}
          dataSource={visits.data?.items ?? []}
          pagination={pagination}
          columns={[
            {
              key: 'visitedOn',
              title: v.fields.visitedOn,
              render: (_, visit) => <Link to={link(visit)}>{visit.visitedOn}</Link>,
            },
            {
              key: 'purpose',
              title: v.fields.purpose,
              render: (_, visit) => (
                <>
                  {t.casework.visitPurposes[visit.purpose]} {visit.deletedAt && <Tag>{t.common.deleted}</Tag>}
                </>
              ),
            },
            { key: 'who', title: v.fields.residents, render: (_, visit) => who(visit) },
            {
              key: 'visitors',
              title: v.fields.visitors,
              render: (_, visit) => visit.visitors.map((u) => u.displayName).join('、') || t.common.none,
            },
            {
              key: 'amount',
              title: v.fields.amountFen,
              render: (_, visit) => (visit.amountFen === null ? t.common.none : formatFen(visit.amountFen)),
            },
            {
              key: 'location',
              title: v.fields.location,
              render: (_, visit) => visit.location ?? t.common.none,
            },
          ]}
        />
      )}
    </>
  );
}

export { VisitsPage as Component };
