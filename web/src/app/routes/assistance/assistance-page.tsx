import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  assistanceKinds,
  assistanceStatuses,
  formatFen,
  fundSources,
  parseYuanToFen,
  type Assistance,
  type AssistanceKind,
  type FundSource,
} from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { canApproveAssistance, canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  useAssistanceList,
  useAssistanceTotals,
  useCreateAssistance,
  useDecideAssistance,
} from '@/features/visits/api.ts';
import { ResidentPicker } from '@/features/visits/components/record-pickers.tsx';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { downloadFile } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface AssistanceValues {
  residentId: string;
  kind: AssistanceKind;
  amount: string;
  fundSource: FundSource;
  appliedOn: Dayjs;
  description?: string;
}

const statusColors = { pending: 'blue', approved: 'green', rejected: 'default' } as const;

/** Assistance (帮困) of the selected unit: applications, approval and totals per source of funds. */
function AssistancePage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const list = useListParams();
  const [creating, setCreating] = useState(false);
  const filter = {
    orgUnitId,
    kind: list.get('kind'),
    fundSource: list.get('fundSource'),
    status: list.get('status'),
    q: list.get('q'),
  };
  const rows = useAssistanceList(
    { ...filter, page: list.page, pageSize: list.pageSize, order: 'desc' },
    orgUnitId !== undefined,
  );
  const totals = useAssistanceTotals(filter, orgUnitId !== undefined);
  const create = useCreateAssistance();
  const decide = useDecideAssistance();
  const a = t.casework.assistance;
  const roles = me.data?.roles ?? [];
  const decideRow = (row: Assistance, decision: 'approved' | 'rejected') =>
    decide.mutate(
      { id: row.id, version: row.version, decision, decidedOn: localDateText() },
      { onSuccess: () => message.success(t.common.savedOk), onError: (e) => message.error(e.message) },
    );

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{a.title}</Typography.Title>
        <Space>
          <Button
            onClick={async () => {
              try {
                message.success(t.casework.exported(await downloadFile('/api/assistance/export', filter)));
              } catch (error) {
                message.error((error as Error).message);
              }
            }}
          >
            {t.casework.exportRegister}
          </Button>
          {canEditRegistry(roles) && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {a.create}
            </Button>
          )}
        </Space>
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={list.get('q') ?? ''}
          defaultValue={list.get('q')}
          allowClear
          enterButton={t.common.search}
          placeholder={a.fields.residentName}
          aria-label={a.fields.residentName}
          onSearch={(value) => list.set({ q: value.trim() || undefined })}
          style={{ maxWidth: 260 }}
        />
        {(
          [
            ['kind', assistanceKinds, t.casework.assistanceKinds],
            ['fundSource', fundSources, t.casework.fundSources],
            ['status', assistanceStatuses, t.casework.assistanceStatuses],
          ] as const
        ).map(([key, values, labels]) => (
          <Select
            key={key}
            allowClear
            placeholder={a.fields[key]}
            aria-label={a.fields[key]}
            value={list.get(key)}
            onChange={(value?: string) => list.set({ [key]: value })}
            options={values.map((v) => ({ value: v, label: (labels as Record<string, string>)[v] }))}
            style={{ width: 150 }}
          />
        ))}
      </Space>
      {totals.data && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Descriptions
            size="small"
            column={{ xs: 1, sm: 3 }}
            title={a.totals(totals.data.count, formatFen(totals.data.amountFen))}
          >
            {Object.entries(totals.data.bySource).map(([source, entry]) => (
              <Descriptions.Item key={source} label={t.casework.fundSources[source as FundSource] ?? source}>
                {a.totals(entry.count, formatFen(entry.amountFen))}
              </Descriptions.Item>
            ))}
          </Descriptions>
        </Card>
      )}
      <Table<Assistance>
        rowKey="id"
        size="middle"
        scroll={{ x: 'max-content' }}
        loading={rows.isFetching}
        dataSource={rows.data?.items ?? []}
        pagination={paginationOf(rows.data, list, t.common.total)}
        columns={[
          { key: 'resident', title: a.fields.residentName, dataIndex: 'residentName' },
          { key: 'kind', title: a.fields.kind, render: (_, row) => t.casework.assistanceKinds[row.kind] },
          { key: 'amount', title: a.fields.amountFen, render: (_, row) => formatFen(row.amountFen) },
          {
            key: 'source',
            title: a.fields.fundSource,
            render: (_, row) => t.casework.fundSources[row.fundSource],
          },
          { key: 'appliedOn', title: a.fields.appliedOn, dataIndex: 'appliedOn' },
          {
            key: 'status',
            title: a.fields.status,
            render: (_, row) => (
              <Tag color={statusColors[row.status]}>{t.casework.assistanceStatuses[row.status]}</Tag>
            ),
          },
          {
            key: 'decided',
            title: a.fields.decidedByName,
            render: (_, row) =>
              row.decidedByName ? `${row.decidedByName} ${row.decidedOn ?? ''}` : t.common.none,
          },
          {
            key: 'actions',
            title: t.common.actions,
            render: (_, row) =>
              row.status === 'pending' && canApproveAssistance(roles) ? (
                <Space>
                  <Popconfirm title={a.confirmApprove} onConfirm={() => decideRow(row, 'approved')}>
                    <Button size="small" type="primary">
                      {a.approve}
                    </Button>
                  </Popconfirm>
                  <Popconfirm title={a.confirmReject} onConfirm={() => decideRow(row, 'rejected')}>
                    <Button size="small">{a.reject}</Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={creating}
        title={a.createTitle}
        footer={null}
        destroyOnHidden
        onCancel={() => setCreating(false)}
      >
        {orgUnitId && (
          <Form<AssistanceValues>
            layout="vertical"
            initialValues={{ appliedOn: dayjs(), kind: 'cash' }}
            validateTrigger={['onChange', 'onBlur']}
            onFinish={(values) =>
              create.mutate(
                {
                  orgUnitId,
                  residentId: values.residentId,
                  kind: values.kind,
                  amountFen: parseYuanToFen(values.amount)!,
                  fundSource: values.fundSource,
                  appliedOn: values.appliedOn.format('YYYY-MM-DD'),
                  description: values.description?.trim() || null,
                },
                {
                  onSuccess: () => {
                    message.success(t.common.createdOk);
                    setCreating(false);
                  },
                },
              )
            }
          >
            {create.error && (
              <Alert type="error" showIcon title={create.error.message} style={{ marginBottom: 16 }} />
            )}
            <Form.Item name="residentId" label={a.fields.residentName} rules={[{ required: true }]}>
              <ResidentPicker orgUnitId={orgUnitId} />
            </Form.Item>
            <Form.Item name="kind" label={a.fields.kind} rules={[{ required: true }]}>
              <Select
                options={assistanceKinds.map((k) => ({ value: k, label: t.casework.assistanceKinds[k] }))}
              />
            </Form.Item>
            <Form.Item
              name="amount"
              label={a.fields.amountFen}
              rules={[
                { required: true },
                {
                  validator: (_, value: string | undefined) =>
                    !value || parseYuanToFen(value) !== undefined
                      ? Promise.resolve()
                      : Promise.reject(new Error(t.casework.visits.amountInvalid)),
                },
              ]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item name="fundSource" label={a.fields.fundSource} rules={[{ required: true }]}>
              <Select options={fundSources.map((s) => ({ value: s, label: t.casework.fundSources[s] }))} />
            </Form.Item>
            <Form.Item name="appliedOn" label={a.fields.appliedOn} rules={[{ required: true }]}>
              <DatePicker
                style={{ width: '100%' }}
                inputReadOnly
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              />
            </Form.Item>
            <Form.Item
              name="description"
              label={a.fields.description}
              rules={[{ max: 500 }, personalNumbersWarning]}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t.common.save}
            </Button>
          </Form>
        )}
      </Modal>
    </>
  );
}

export { AssistancePage as Component };
