import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Drawer, Grid, Input, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  disputeCategories,
  disputeLevels,
  disputeOutcomes,
  disputeRiskLevels,
  type Dispute,
} from '@shiliuzi/shared/casework-disputes';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { useCreateDispute, useDisputes } from '@/features/disputes/api.ts';
import { DisputeFigures } from '@/features/disputes/components/dispute-figures.tsx';
import { DisputeForm } from '@/features/disputes/components/dispute-form.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { t } from '@/locales/zh-CN/index.ts';

const outcomeColors = { ongoing: 'orange', resolved: 'green', transferred: 'blue' } as const;
const riskColors = { low: 'default', medium: 'gold', high: 'red' } as const;

/** Disputes of the selected org unit: figures, filters by outcome/level/category/risk, search, paging. */
function DisputesPage() {
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const [creating, setCreating] = useState(false);
  const create = useCreateDispute();
  const d = t.disputes;
  const get = (key: string) => params.get(key) ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const filter = {
    outcome: get('outcome'),
    handlingLevel: get('level'),
    category: get('category'),
    riskLevel: get('risk'),
    q: get('q'),
  };
  const disputes = useDisputes({ orgUnitId, ...filter, page, pageSize }, orgUnitId !== undefined);
  const set = (patch: Record<string, string | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    });
  const link = (x: Dispute) => `/disputes/${x.id}?org=${orgUnitId}`;
  const parties = (x: Dispute) => x.parties.map((p) => p.name).join('、');
  const pagination = {
    current: disputes.data?.page ?? page,
    pageSize: disputes.data?.pageSize ?? pageSize,
    total: disputes.data?.total ?? 0,
    showTotal: (n: number) => t.common.total(n),
    onChange: (p: number, size: number) => set({ page: String(p), pageSize: String(size) }),
  };
  const select = (key: string, label: string, values: readonly string[], labels: Record<string, string>) => (
    <Select
      allowClear
      placeholder={label}
      aria-label={label}
      value={get(key)}
      onChange={(value?: string) => set({ [key]: value })}
      options={values.map((value) => ({ value, label: labels[value] }))}
      style={{ minWidth: 120 }}
    />
  );
  const canEdit = canEditRegistry(me.data?.roles ?? []);

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{d.title}</Typography.Title>
        <Space>
          {orgUnitId && (
            <Button icon={<DownloadOutlined />} href={`/api/disputes/export?orgUnitId=${orgUnitId}`}>
              {d.export}
            </Button>
          )}
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {d.create}
            </Button>
          )}
        </Space>
      </Space>
      <DisputeFigures orgUnitId={orgUnitId} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={filter.q ?? ''}
          defaultValue={filter.q}
          allowClear
          enterButton={t.common.search}
          placeholder={d.searchPlaceholder}
          aria-label={d.searchPlaceholder}
          onSearch={(value) => set({ q: value.trim() || undefined })}
          style={{ maxWidth: 320 }}
        />
        {select('outcome', d.fields.outcome!, disputeOutcomes, d.outcomes)}
        {select('level', d.fields.handlingLevel!, disputeLevels, d.levels)}
        {select('category', d.fields.category!, disputeCategories, d.categories)}
        {select('risk', d.fields.riskLevel!, disputeRiskLevels, d.riskLevels)}
      </Space>
      {screens.md === false ? (
        <List
          loading={disputes.isFetching}
          dataSource={disputes.data?.items ?? []}
          pagination={{ ...pagination, simple: true, align: 'center', showTotal: undefined }}
          renderItem={(x) => (
            <List.Item style={{ border: 'none', padding: '6px 0' }}>
              <Card size="small" style={{ width: '100%' }}>
                <Space orientation="vertical" size={2}>
                  <Link to={link(x)}>
                    <Typography.Text strong>{parties(x)}</Typography.Text>
                  </Link>
                  <Typography.Text type="secondary">
                    {x.intakeDate} · {d.categories[x.category]} · {d.levels[x.handlingLevel]}
                  </Typography.Text>
                  <Space size={4}>
                    <Tag color={outcomeColors[x.outcome]}>{d.outcomes[x.outcome]}</Tag>
                    <Tag color={riskColors[x.riskLevel]}>{d.riskLevels[x.riskLevel]}</Tag>
                    {x.isEthnicFactor && <Tag color="volcano">{d.ethnicFactorTag}</Tag>}
                  </Space>
                </Space>
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<Dispute>
          rowKey="id"
          size="middle"
          loading={disputes.isFetching}
          dataSource={disputes.data?.items ?? []}
          pagination={pagination}
          columns={[
            {
              key: 'date',
              title: d.fields.intakeDate,
              render: (_, x) => <Link to={link(x)}>{x.intakeDate}</Link>,
            },
            {
              key: 'parties',
              title: d.fields.parties,
              render: (_, x) => <Link to={link(x)}>{parties(x)}</Link>,
            },
            { key: 'category', title: d.fields.category, render: (_, x) => d.categories[x.category] },
            { key: 'level', title: d.fields.handlingLevel, render: (_, x) => d.levels[x.handlingLevel] },
            {
              key: 'risk',
              title: d.fields.riskLevel,
              render: (_, x) => <Tag color={riskColors[x.riskLevel]}>{d.riskLevels[x.riskLevel]}</Tag>,
            },
            {
              key: 'ethnic',
              title: d.fields.isEthnicFactor,
              render: (_, x) => (x.isEthnicFactor ? <Tag color="volcano">{t.common.yes}</Tag> : null),
            },
            {
              key: 'outcome',
              title: d.fields.outcome,
              render: (_, x) => <Tag color={outcomeColors[x.outcome]}>{d.outcomes[x.outcome]}</Tag>,
            },
            { key: 'org', title: d.fields.orgUnitName, render: (_, x) => x.orgUnitName },
          ]}
        />
      )}
      <Drawer
        open={creating}
        title={d.createTitle}
        size={screens.md === false ? '100%' : 640}
        onClose={() => setCreating(false)}
        destroyOnHidden
      >
        {orgUnitId && (
          <DisputeForm
            orgUnitId={orgUnitId}
            submitting={create.isPending}
            error={create.error?.message}
            onCancel={() => setCreating(false)}
            onSubmit={(input) =>
              create.mutate(input, {
                onSuccess: () => {
                  message.success(t.common.createdOk);
                  setCreating(false);
                  create.reset();
                },
              })
            }
          />
        )}
      </Drawer>
    </>
  );
}

export { DisputesPage as Component };
