import { Alert, App, Button, Card, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { canSetRetention } from '@shiliuzi/shared/permissions';
import {
  MAX_RETENTION_DAYS,
  type RetentionAction,
  type RetentionPolicy,
  type RetentionRecordType,
  type RetentionRun,
} from '@shiliuzi/shared/retention';
import { retentionLabels } from '@shiliuzi/shared/retention-labels.zh-CN';
import { useMe } from '@/features/auth/api.ts';
import {
  useRetentionRuns,
  useRetentionSettings,
  useRunRetention,
  useSetRetentionPolicy,
} from '@/features/retention/api.ts';
import { RetentionReport } from '@/features/retention/components/retention-report.tsx';
import { formatDateTime } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

const s = t.retention;
const typeName = (type: RetentionRecordType) => retentionLabels.recordTypes[type];
const actionName = (action: RetentionAction) => retentionLabels.actions[action];

/** Why typed days cannot be saved for this type (whole days, its minimum to a hundred years), or undefined. */
function retentionDaysError(text: string, minDays: number): string | undefined {
  const value = text.trim();
  if (value === '') return s.required;
  if (!/^\d+$/.test(value)) return s.wholeDays;
  if (Number(value) < minDays) return s.tooShort(minDays);
  if (Number(value) > MAX_RETENTION_DAYS) return s.tooLong(MAX_RETENTION_DAYS);
  return undefined;
}

type Draft = { days: string; action: RetentionAction };

/** The periods of every record type, edited a row at a time by the security administrator. */
function PolicyTable({ policies, canEdit }: { policies: RetentionPolicy[]; canEdit: boolean }) {
  const { message } = App.useApp();
  const save = useSetRetentionPolicy();
  const [drafts, setDrafts] = useState<Partial<Record<RetentionRecordType, Draft>>>({});
  const draftOf = (p: RetentionPolicy): Draft =>
    drafts[p.recordType] ?? { days: String(p.days), action: p.action };
  const edit = (p: RetentionPolicy, change: Partial<Draft>) =>
    setDrafts((all) => ({ ...all, [p.recordType]: { ...draftOf(p), ...change } }));

  const handleSave = (p: RetentionPolicy) => {
    const draft = draftOf(p);
    const days = Number(draft.days.trim());
    save.mutate(
      { recordType: p.recordType, days, action: draft.action },
      {
        onSuccess: () => {
          setDrafts(({ [p.recordType]: _saved, ...rest }) => rest);
          void message.success(s.saved(typeName(p.recordType), days, actionName(draft.action)));
        },
        onError: (error) => void message.error(error.message),
      },
    );
  };

  return (
    <Table<RetentionPolicy>
      size="middle"
      rowKey="recordType"
      pagination={false}
      dataSource={policies}
      scroll={{ x: 960 }}
      columns={[
        { key: 'recordType', title: s.columns.recordType, render: (_, p) => typeName(p.recordType) },
        {
          key: 'clock',
          title: s.columns.clock,
          width: 140,
          render: (_, p) => retentionLabels.clocks[p.recordType],
        },
        {
          key: 'days',
          title: s.columns.days,
          width: 200,
          render: (_, p) => {
            const error = retentionDaysError(draftOf(p).days, p.minDays);
            return (
              <Space orientation="vertical" size={2}>
                <Input
                  aria-label={s.daysLabel(typeName(p.recordType))}
                  inputMode="numeric"
                  disabled={!canEdit}
                  status={error ? 'error' : undefined}
                  value={draftOf(p).days}
                  onChange={(e) => edit(p, { days: e.target.value })}
                />
                <Typography.Text type={error ? 'danger' : 'secondary'}>
                  {error ?? s.minimum(p.minDays)}
                </Typography.Text>
              </Space>
            );
          },
        },
        {
          key: 'action',
          title: s.columns.action,
          width: 130,
          render: (_, p) => (
            <Select<RetentionAction>
              aria-label={s.actionLabel(typeName(p.recordType))}
              disabled={!canEdit || p.actions.length < 2}
              value={draftOf(p).action}
              options={p.actions.map((action) => ({ value: action, label: actionName(action) }))}
              onChange={(action) => edit(p, { action })}
            />
          ),
        },
        {
          key: 'source',
          title: s.columns.source,
          width: 200,
          render: (_, p) => (
            <Space orientation="vertical" size={2}>
              {p.isDefault ? <Tag>{s.isDefault}</Tag> : <Tag color="blue">{s.changed(p.updatedBy)}</Tag>}
              <Typography.Text type="secondary">
                {s.defaultValue(p.defaultDays, actionName(p.defaultAction))}
              </Typography.Text>
            </Space>
          ),
        },
        ...(canEdit
          ? [
              {
                key: 'save',
                title: '',
                width: 90,
                render: (_: unknown, p: RetentionPolicy) => {
                  const draft = draftOf(p);
                  const unchanged = draft.days.trim() === String(p.days) && draft.action === p.action;
                  return (
                    <Button
                      disabled={unchanged || retentionDaysError(draft.days, p.minDays) !== undefined}
                      loading={save.isPending && save.variables?.recordType === p.recordType}
                      onClick={() => handleSave(p)}
                    >
                      {s.save}
                    </Button>
                  );
                },
              },
            ]
          : []),
      ]}
    />
  );
}

/** The job run now or previewed, and what it answered. */
function RunPanel() {
  const run = useRunRetention();
  const report = run.data;
  return (
    <Card title={s.run.title} size="small">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Space wrap>
          <Button loading={run.isPending && run.variables === true} onClick={() => run.mutate(true)}>
            {s.run.preview}
          </Button>
          <Popconfirm title={s.run.confirm} onConfirm={() => run.mutate(false)}>
            <Button type="primary" danger loading={run.isPending && run.variables === false}>
              {s.run.now}
            </Button>
          </Popconfirm>
        </Space>
        {run.error && <Alert type="error" showIcon title={run.error.message} />}
        {report && (
          <>
            <Alert
              type={report.status === 'failed' ? 'error' : report.dryRun ? 'info' : 'success'}
              showIcon
              title={
                report.status === 'failed'
                  ? s.run.failed(report.error ?? '')
                  : report.dryRun
                    ? s.run.previewDone
                    : s.run.runDone
              }
            />
            <RetentionReport items={report.items} />
          </>
        )}
      </Space>
    </Card>
  );
}

const handled = (run: RetentionRun) =>
  run.items.reduce((sum, item) => sum + item.anonymised + item.deleted, 0);

/** Past runs, newest first; each opens to its report. */
function RunHistory() {
  const [page, setPage] = useState({ page: 1, pageSize: 10 });
  const runs = useRetentionRuns(page.page, page.pageSize);
  return (
    <Card title={s.runs.title} size="small">
      <Table<RetentionRun>
        size="small"
        rowKey="id"
        loading={runs.isFetching}
        dataSource={runs.data?.items ?? []}
        locale={{ emptyText: s.runs.empty }}
        scroll={{ x: 720 }}
        expandable={{ expandedRowRender: (run) => <RetentionReport items={run.items} /> }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: runs.data?.total ?? 0,
          onChange: (next, pageSize) => setPage({ page: next, pageSize }),
        }}
        columns={[
          {
            key: 'startedAt',
            title: s.runs.startedAt,
            width: 150,
            render: (_, run) => formatDateTime(run.startedAt),
          },
          {
            key: 'kind',
            title: s.runs.kind,
            width: 80,
            render: (_, run) =>
              run.dryRun ? <Tag>{s.runs.dryRun}</Tag> : <Tag color="blue">{s.runs.real}</Tag>,
          },
          {
            key: 'trigger',
            title: s.runs.trigger,
            width: 100,
            render: (_, run) => retentionLabels.triggers[run.trigger],
          },
          { key: 'actor', title: s.runs.actor, dataIndex: 'actorName', width: 120 },
          {
            key: 'status',
            title: s.runs.status,
            width: 80,
            render: (_, run) =>
              run.status === 'ok' ? (
                <Tag color="success">{s.runs.ok}</Tag>
              ) : (
                <Tag color="error">{s.runs.failed}</Tag>
              ),
          },
          { key: 'total', title: s.runs.total, width: 120, render: (_, run) => handled(run) },
        ]}
      />
    </Card>
  );
}

/** 数据保留: the retention periods of every record type, running the job, and its reports. */
function RetentionPage() {
  const me = useMe().data!;
  const settings = useRetentionSettings();
  const canEdit = canSetRetention(me.roles);
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <div>
        <Typography.Title level={4}>{s.title}</Typography.Title>
        <Typography.Paragraph type="secondary">{s.hint}</Typography.Paragraph>
      </div>
      {settings.error && <Alert type="error" showIcon title={settings.error.message} />}
      {settings.data && (
        <>
          <Alert
            type={settings.data.scheduled ? 'info' : 'warning'}
            showIcon
            title={settings.data.scheduled ? s.scheduled : s.notScheduled}
          />
          {!canEdit && <Alert type="info" showIcon title={s.readOnly} />}
          <PolicyTable policies={settings.data.policies} canEdit={canEdit} />
          <RunPanel />
          <RunHistory />
        </>
      )}
    </Space>
  );
}

export { RetentionPage as Component };
