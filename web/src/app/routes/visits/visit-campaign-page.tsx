import {
  App,
  Button,
  Card,
  Descriptions,
  Grid,
  List,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import { canEditRegistry, canPlanVisitCampaigns } from '@shiliuzi/shared/permissions';
import type { PlannedVisit, VisitCampaign } from '@shiliuzi/shared/visit-campaigns';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { usePlannedVisits, useReplanCampaign, useVisitCampaign } from '@/features/visits/api.ts';
import { CampaignProgress } from '@/features/visits/components/campaign-progress.tsx';
import { MustVisitStateTag } from '@/features/visits/components/must-visit-state-tag.tsx';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** The target group of a campaign in words: 回族、维吾尔族 · 困难、低保. */
function describeTarget(campaign: VisitCampaign): string {
  const c = t.casework.campaigns;
  const who =
    campaign.target.ethnicityCodes.length > 0
      ? campaign.target.ethnicityCodes.map((code) => findEthnicGroup(code)?.name ?? code).join('、')
      : campaign.target.minorityOnly
        ? c.minorities
        : c.everyone;
  const flags = campaign.target.flags.map((flag) => t.registry.flags[flag]).join('、');
  return flags ? `${who} · ${flags}` : who;
}

/** One campaign: what it targets, its progress, and every planned visit with its state. */
function VisitCampaignPage() {
  const { id } = useParams<{ id: string }>();
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const list = useListParams();
  const screens = Grid.useBreakpoint();
  const campaign = useVisitCampaign(id);
  const replan = useReplanCampaign(id ?? '');
  const planned = usePlannedVisits(
    { campaignId: id, state: list.get('state'), page: list.page, pageSize: list.pageSize },
    Boolean(id),
  );
  if (campaign.isPending) return <Spin />;
  if (campaign.isError) return <Result status="warning" title={campaign.error.message} />;
  const cp = campaign.data;
  const c = t.casework.campaigns;
  const canPlan = me.data ? canPlanVisitCampaigns(me.data.roles) : false;
  const canVisit = me.data ? canEditRegistry(me.data.roles) : false;

  const who = (p: PlannedVisit) =>
    p.householdId ? (
      <Link to={`/households/${p.householdId}?org=${orgUnitId}`}>{p.householdLabel}</Link>
    ) : (
      <Link to={`/residents/${p.residentId}?org=${orgUnitId}`}>{p.residentName}</Link>
    );
  const action = (p: PlannedVisit) => {
    if (p.visitId) return <Link to={`/visits/${p.visitId}?org=${orgUnitId}`}>{c.viewVisit}</Link>;
    if (!canVisit) return null;
    const subject = p.householdId
      ? `householdId=${p.householdId}&householdLabel=${encodeURIComponent(p.householdLabel ?? '')}`
      : `residentId=${p.residentId}&residentName=${encodeURIComponent(p.residentName ?? '')}`;
    return (
      <Link to={`/visits/new?org=${orgUnitId}&${subject}&purpose=festival&back=campaign:${cp.id}`}>
        <Button size="small" type="primary">
          {c.recordVisit}
        </Button>
      </Link>
    );
  };

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{cp.name}</Typography.Title>
        {canPlan && (
          <Button
            title={c.replanHint}
            loading={replan.isPending}
            onClick={() =>
              replan.mutate(undefined, {
                onSuccess: (answer) => message.success(c.replanned(answer.added)),
                onError: (error) => message.error(error.message),
              })
            }
          >
            {c.replan}
          </Button>
        )}
      </Space>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={c.fields.festival}>{t.casework.festivals[cp.festival]}</Descriptions.Item>
          <Descriptions.Item label={c.fields.orgUnit}>{cp.orgUnitName}</Descriptions.Item>
          <Descriptions.Item label={c.fields.startsOn}>{cp.startsOn}</Descriptions.Item>
          <Descriptions.Item label={c.fields.plannedOn}>{cp.plannedOn}</Descriptions.Item>
          <Descriptions.Item label={c.targets}>{describeTarget(cp)}</Descriptions.Item>
          {cp.note && <Descriptions.Item label={c.fields.note}>{cp.note}</Descriptions.Item>}
        </Descriptions>
        <CampaignProgress progress={cp.progress} />
      </Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={c.state}
          aria-label={c.state}
          value={list.get('state')}
          onChange={(value?: string) => list.set({ state: value })}
          options={[
            { value: 'pending', label: c.pending },
            { value: 'overdue', label: c.overdue },
            { value: 'done', label: c.done },
          ]}
          style={{ width: 160 }}
        />
      </Space>
      {screens.md === false ? (
        <List
          loading={planned.isFetching}
          dataSource={planned.data?.items ?? []}
          pagination={paginationOf(planned.data, list, t.common.total)}
          renderItem={(p) => (
            <List.Item key={p.id} aria-label={p.householdLabel ?? p.residentName ?? ''} actions={[action(p)]}>
              <List.Item.Meta
                title={who(p)}
                description={
                  <Space wrap>
                    <MustVisitStateTag state={p.state} />
                    <Typography.Text type="secondary">
                      {p.orgUnitName} · {p.assigneeName ?? c.unassigned}
                    </Typography.Text>
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Table<PlannedVisit>
          rowKey="id"
          loading={planned.isFetching}
          dataSource={planned.data?.items ?? []}
          pagination={paginationOf(planned.data, list, t.common.total)}
          columns={[
            { key: 'who', title: c.target, render: (_, p) => who(p) },
            { key: 'org', title: c.fields.orgUnit, dataIndex: 'orgUnitName' },
            {
              key: 'assignee',
              title: c.assignee,
              render: (_, p) => (
                <Space>
                  {p.assigneeName ?? c.unassigned}
                  {p.assignedByPairing && <Tag>{t.casework.mustVisits.assignedByPairing}</Tag>}
                </Space>
              ),
            },
            { key: 'state', title: c.state, render: (_, p) => <MustVisitStateTag state={p.state} /> },
            {
              key: 'doneOn',
              title: t.casework.mustVisits.fields.doneOn,
              render: (_, p) => p.doneOn ?? t.common.none,
            },
            { key: 'action', title: t.common.actions, render: (_, p) => action(p) },
          ]}
        />
      )}
    </>
  );
}

export { VisitCampaignPage as Component };
