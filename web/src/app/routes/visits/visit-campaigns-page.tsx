import { App, Button, Card, Grid, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { canPlanVisitCampaigns } from '@shiliuzi/shared/permissions';
import { festivals, type VisitCampaign } from '@shiliuzi/shared/visit-campaigns';
import { useMe } from '@/features/auth/api.ts';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useCreateCampaign, useVisitCampaigns } from '@/features/visits/api.ts';
import { CampaignForm } from '@/features/visits/components/campaign-form.tsx';
import { CampaignProgress } from '@/features/visits/components/campaign-progress.tsx';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** Festival visit campaigns of the selected unit with their progress; a new one from a preview. */
function VisitCampaignsPage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const org = useOrgUnit(orgUnitId);
  const me = useMe();
  const navigate = useNavigate();
  const list = useListParams();
  const screens = Grid.useBreakpoint();
  const [creating, setCreating] = useState(false);
  const create = useCreateCampaign();
  const campaigns = useVisitCampaigns(
    { orgUnitId, festival: list.get('festival'), page: list.page, pageSize: list.pageSize },
    orgUnitId !== undefined,
  );
  const c = t.casework.campaigns;
  const link = (campaign: VisitCampaign) => `/visit-campaigns/${campaign.id}?org=${orgUnitId}`;
  const canPlan = me.data ? canPlanVisitCampaigns(me.data.roles) : false;

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{c.title}</Typography.Title>
        {canPlan && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {c.create}
          </Button>
        )}
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={c.fields.festival}
          aria-label={c.fields.festival}
          value={list.get('festival')}
          onChange={(value?: string) => list.set({ festival: value })}
          options={festivals.map((f) => ({ value: f, label: t.casework.festivals[f] }))}
          style={{ width: 160 }}
        />
      </Space>
      {screens.md === false ? (
        <List
          loading={campaigns.isFetching}
          dataSource={campaigns.data?.items ?? []}
          pagination={paginationOf(campaigns.data, list, t.common.total)}
          renderItem={(campaign) => (
            <List.Item key={campaign.id}>
              <Card
                size="small"
                style={{ width: '100%' }}
                title={<Link to={link(campaign)}>{campaign.name}</Link>}
              >
                <Space wrap>
                  <Tag>{t.casework.festivals[campaign.festival]}</Tag>
                  <Typography.Text>{campaign.plannedOn}</Typography.Text>
                </Space>
                <CampaignProgress progress={campaign.progress} />
              </Card>
            </List.Item>
          )}
        />
      ) : (
        <Table<VisitCampaign>
          rowKey="id"
          loading={campaigns.isFetching}
          dataSource={campaigns.data?.items ?? []}
          pagination={paginationOf(campaigns.data, list, t.common.total)}
          columns={[
            {
              key: 'name',
              title: c.fields.name,
              render: (_, campaign) => <Link to={link(campaign)}>{campaign.name}</Link>,
            },
            {
              key: 'festival',
              title: c.fields.festival,
              render: (_, campaign) => t.casework.festivals[campaign.festival],
            },
            { key: 'orgUnit', title: c.fields.orgUnit, dataIndex: 'orgUnitName' },
            { key: 'plannedOn', title: c.fields.plannedOn, dataIndex: 'plannedOn' },
            {
              key: 'progress',
              title: c.fields.progress,
              width: 280,
              render: (_, campaign) => <CampaignProgress progress={campaign.progress} />,
            },
          ]}
        />
      )}
      <Modal
        open={creating}
        title={c.createTitle}
        footer={null}
        destroyOnHidden
        onCancel={() => setCreating(false)}
      >
        {orgUnitId && (
          <CampaignForm
            orgUnitId={orgUnitId}
            orgUnitName={org.data?.name ?? ''}
            submitting={create.isPending}
            error={create.error?.message}
            onSubmit={(input) =>
              create.mutate(input, {
                onSuccess: (campaign) => {
                  message.success(c.generated(campaign.progress.planned));
                  setCreating(false);
                  navigate(link(campaign));
                },
              })
            }
          />
        )}
      </Modal>
    </>
  );
}

export { VisitCampaignsPage as Component };
