import {
  App,
  Button,
  Card,
  Col,
  InputNumber,
  Input,
  List,
  Modal,
  Row,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { mustVisitKinds, type MustVisitTask } from '@shiliuzi/shared/casework-visits';
import { canConfigureMustVisits, canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  useMustVisitRules,
  useMustVisits,
  useOverdueCounts,
  useRecordMustVisit,
  useSetMustVisitRule,
} from '@/features/visits/api.ts';
import { MustVisitEventForm } from '@/features/visits/components/must-visit-event-form.tsx';
import { MustVisitStateTag } from '@/features/visits/components/must-visit-state-tag.tsx';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** The four must-visits of the selected unit: tasks, overdue counts per worker and unit, and due days. */
function MustVisitsPage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const list = useListParams();
  const [recording, setRecording] = useState(false);
  const tasks = useMustVisits(
    {
      orgUnitId,
      state: list.get('state'),
      kind: list.get('kind'),
      q: list.get('q'),
      page: list.page,
      pageSize: list.pageSize,
    },
    orgUnitId !== undefined,
  );
  const byAssignee = useOverdueCounts(orgUnitId, 'assignee');
  const byOrg = useOverdueCounts(orgUnitId, 'orgUnit');
  const rules = useMustVisitRules(orgUnitId);
  const setRule = useSetMustVisitRule();
  const record = useRecordMustVisit();
  const m = t.casework.mustVisits;
  const roles = me.data?.roles ?? [];
  const overdueList = (data: { id: string | null; name: string | null; overdue: number }[] | undefined) => (
    <List
      size="small"
      dataSource={data ?? []}
      locale={{ emptyText: t.common.noData }}
      renderItem={(row) => (
        <List.Item>
          {row.name ?? m.unassigned}
          <Typography.Text type="danger">{row.overdue}</Typography.Text>
        </List.Item>
      )}
    />
  );

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{m.title}</Typography.Title>
        {canEditRegistry(roles) && (
          <Button type="primary" onClick={() => setRecording(true)}>
            {m.recordEvent}
          </Button>
        )}
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={list.get('q') ?? ''}
          defaultValue={list.get('q')}
          allowClear
          enterButton={t.common.search}
          placeholder={m.fields.residentName}
          aria-label={m.fields.residentName}
          onSearch={(value) => list.set({ q: value.trim() || undefined })}
          style={{ maxWidth: 260 }}
        />
        <Select
          allowClear
          placeholder={m.fields.state}
          aria-label={m.fields.state}
          value={list.get('state')}
          onChange={(value?: string) => list.set({ state: value })}
          options={(['pending', 'open', 'overdue', 'done'] as const).map((s) => ({
            value: s,
            label: s === 'pending' ? t.casework.myTasks.mustVisits : t.casework.mustVisitStates[s],
          }))}
          style={{ width: 200 }}
        />
        <Select
          allowClear
          placeholder={m.fields.kind}
          aria-label={m.fields.kind}
          value={list.get('kind')}
          onChange={(value?: string) => list.set({ kind: value })}
          options={mustVisitKinds.map((k) => ({ value: k, label: t.casework.mustVisitKinds[k] }))}
          style={{ width: 160 }}
        />
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Table<MustVisitTask>
            rowKey="id"
            size="middle"
            scroll={{ x: 'max-content' }}
            loading={tasks.isFetching}
            dataSource={tasks.data?.items ?? []}
            pagination={paginationOf(tasks.data, list, t.common.total)}
            columns={[
              { key: 'resident', title: m.fields.residentName, render: (_, task) => task.residentName },
              {
                key: 'kind',
                title: m.fields.kind,
                render: (_, task) => t.casework.mustVisitKinds[task.kind],
              },
              { key: 'eventOn', title: m.fields.eventOn, dataIndex: 'eventOn' },
              { key: 'dueOn', title: m.fields.dueOn, dataIndex: 'dueOn' },
              {
                key: 'assignee',
                title: m.fields.assigneeName,
                render: (_, task) =>
                  task.assigneeName
                    ? `${task.assigneeName}（${task.assignedByPairing ? m.assignedByPairing : m.assignedToGrid}）`
                    : m.unassigned,
              },
              {
                key: 'state',
                title: m.fields.state,
                render: (_, task) => <MustVisitStateTag state={task.state} />,
              },
              { key: 'doneOn', title: m.fields.doneOn, render: (_, task) => task.doneOn ?? t.common.none },
            ]}
          />
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={m.overdueByAssignee}>
            {overdueList(byAssignee.data)}
          </Card>
          <Card size="small" title={m.overdueByOrg} style={{ marginTop: 16 }}>
            {overdueList(byOrg.data)}
          </Card>
          <Card size="small" title={m.rules} style={{ marginTop: 16 }}>
            <Typography.Paragraph type="secondary">{m.rulesHint}</Typography.Paragraph>
            {(rules.data ?? []).map((rule) => (
              <Space
                key={rule.kind}
                style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 8 }}
              >
                <span>{t.casework.mustVisitKinds[rule.kind]}</span>
                {canConfigureMustVisits(roles) && orgUnitId ? (
                  <InputNumber
                    aria-label={t.casework.mustVisitKinds[rule.kind]}
                    min={1}
                    max={90}
                    value={rule.dueDays}
                    suffix="天"
                    onChange={(value) => {
                      if (typeof value === 'number' && Number.isInteger(value))
                        setRule.mutate(
                          { orgUnitId, kind: rule.kind, dueDays: value },
                          { onSuccess: () => message.success(t.common.savedOk) },
                        );
                    }}
                  />
                ) : (
                  <span>{m.days(rule.dueDays)}</span>
                )}
              </Space>
            ))}
          </Card>
        </Col>
      </Row>
      <Modal
        open={recording}
        title={m.eventTitle}
        footer={null}
        destroyOnHidden
        onCancel={() => setRecording(false)}
      >
        {orgUnitId && (
          <MustVisitEventForm
            orgUnitId={orgUnitId}
            submitting={record.isPending}
            error={record.error?.message}
            onSubmit={(input) =>
              record.mutate(input, {
                onSuccess: () => {
                  message.success(t.common.createdOk);
                  setRecording(false);
                },
              })
            }
          />
        )}
      </Modal>
    </>
  );
}

export { MustVisitsPage as Component };
