import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Drawer,
  Grid,
  Input,
  List,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { petitionChannels, petitionStatuses, type Petition } from '@shiliuzi/shared/casework-petitions';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useCreatePetition, usePetitions } from '@/features/petitions/api.ts';
import { PetitionFigures } from '@/features/petitions/components/petition-figures.tsx';
import { PetitionForm } from '@/features/petitions/components/petition-form.tsx';
import { PetitionSlaSettings } from '@/features/petitions/components/petition-sla-settings.tsx';
import { t } from '@/locales/zh-CN/index.ts';

export const statusColors = {
  received: 'default',
  handling: 'processing',
  done: 'green',
  not_accepted: 'orange',
  transferred: 'blue',
} as const;

/**
 * Petitions and hotline calls of the selected org unit: figures with 办结率, filters, search, paging;
 * and, as a second view (`?view=sla`), the unit's answer deadlines by channel.
 */
function PetitionsPage() {
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const [creating, setCreating] = useState(false);
  const create = useCreatePetition();
  const p = t.petitions;
  const get = (key: string) => params.get(key) ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  const group = get('group') ?? 'all';
  const q = get('q');
  const view = get('view') === 'sla' ? 'sla' : 'list';
  const petitions = usePetitions(
    {
      orgUnitId,
      hotline: group === 'all' ? undefined : group === 'hotline',
      channel: get('channel'),
      status: get('status'),
      overdue: get('overdue') === '1' ? true : undefined,
      q,
      page,
      pageSize,
    },
    orgUnitId !== undefined && view === 'list',
  );
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
  const link = (x: Petition) => `/petitions/${x.id}?org=${orgUnitId}`;
  const pagination = {
    current: petitions.data?.page ?? page,
    pageSize: petitions.data?.pageSize ?? pageSize,
    total: petitions.data?.total ?? 0,
    showTotal: (n: number) => t.common.total(n),
    onChange: (pg: number, size: number) => set({ page: String(pg), pageSize: String(size) }),
  };
  const status = (x: Petition) => (
    <Space size={4}>
      <Tag color={statusColors[x.status]}>{p.statuses[x.status]}</Tag>
      {x.isOverdue && <Tag color="red">{p.overdue}</Tag>}
    </Space>
  );
  const canEdit = canEditRegistry(me.data?.roles ?? []);

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{p.title}</Typography.Title>
        <Space>
          {orgUnitId && (
            <Button icon={<DownloadOutlined />} href={`/api/petitions/export?orgUnitId=${orgUnitId}`}>
              {p.export}
            </Button>
          )}
          {canEdit && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {p.create}
            </Button>
          )}
        </Space>
      </Space>
      <Tabs
        activeKey={view}
        onChange={(key) => set({ view: key === 'sla' ? 'sla' : undefined })}
        items={(['list', 'sla'] as const).map((key) => ({ key, label: p.views[key] }))}
      />
      {view === 'sla' ? (
        orgUnitId && <PetitionSlaSettings orgUnitId={orgUnitId} canEdit={canEdit} />
      ) : (
        <>
          <PetitionFigures orgUnitId={orgUnitId} />
          <Space wrap style={{ marginBottom: 12 }}>
            <Segmented
              value={group}
              onChange={(value) => set({ group: value === 'all' ? undefined : String(value) })}
              options={(['all', 'petitions', 'hotline'] as const).map((g) => ({
                value: g,
                label: p.groups[g],
              }))}
            />
            <Input.Search
              key={q ?? ''}
              defaultValue={q}
              allowClear
              enterButton={t.common.search}
              placeholder={p.searchPlaceholder}
              aria-label={p.searchPlaceholder}
              onSearch={(value) => set({ q: value.trim() || undefined })}
              style={{ maxWidth: 320 }}
            />
            <Select
              allowClear
              placeholder={p.fields.channel}
              aria-label={p.fields.channel}
              value={get('channel')}
              onChange={(value?: string) => set({ channel: value })}
              options={petitionChannels.map((c) => ({ value: c, label: p.channels[c] }))}
              style={{ minWidth: 110 }}
            />
            <Select
              allowClear
              placeholder={p.fields.status}
              aria-label={p.fields.status}
              value={get('status')}
              onChange={(value?: string) => set({ status: value })}
              options={petitionStatuses.map((s) => ({ value: s, label: p.statuses[s] }))}
              style={{ minWidth: 110 }}
            />
            <Checkbox
              checked={get('overdue') === '1'}
              onChange={(e) => set({ overdue: e.target.checked ? '1' : undefined })}
            >
              {p.overdueOnly}
            </Checkbox>
          </Space>
          {screens.md === false ? (
            <List
              loading={petitions.isFetching}
              dataSource={petitions.data?.items ?? []}
              pagination={{ ...pagination, simple: true, align: 'center', showTotal: undefined }}
              renderItem={(x) => (
                <List.Item style={{ border: 'none', padding: '6px 0' }}>
                  <Card size="small" style={{ width: '100%' }}>
                    <Space orientation="vertical" size={2}>
                      <Link to={link(x)}>
                        <Typography.Text strong>{x.subject}</Typography.Text>
                      </Link>
                      <Typography.Text type="secondary">
                        {x.receivedDate} · {p.channels[x.channel]} · {x.requesterName ?? p.anonymous}
                      </Typography.Text>
                      {status(x)}
                    </Space>
                  </Card>
                </List.Item>
              )}
            />
          ) : (
            <Table<Petition>
              rowKey="id"
              size="middle"
              loading={petitions.isFetching}
              dataSource={petitions.data?.items ?? []}
              pagination={pagination}
              columns={[
                {
                  key: 'date',
                  title: p.fields.receivedDate,
                  render: (_, x) => <Link to={link(x)}>{x.receivedDate}</Link>,
                },
                { key: 'channel', title: p.fields.channel, render: (_, x) => p.channels[x.channel] },
                {
                  key: 'subject',
                  title: p.fields.subject,
                  render: (_, x) => <Link to={link(x)}>{x.subject}</Link>,
                  ellipsis: true,
                },
                {
                  key: 'requester',
                  title: p.fields.requester,
                  render: (_, x) => x.requesterName ?? p.anonymous,
                },
                {
                  key: 'assignee',
                  title: p.fields.assignee,
                  render: (_, x) => x.assigneeName ?? t.common.none,
                },
                { key: 'due', title: p.fields.dueDate, render: (_, x) => x.dueDate },
                { key: 'status', title: p.fields.status, render: (_, x) => status(x) },
              ]}
            />
          )}
        </>
      )}
      <Drawer
        open={creating}
        title={p.createTitle}
        size={screens.md === false ? '100%' : 640}
        onClose={() => setCreating(false)}
        destroyOnHidden
      >
        {orgUnitId && (
          <PetitionForm
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

export { PetitionsPage as Component };
