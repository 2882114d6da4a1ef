import { DownloadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { AuditEntry, AuditFilter } from '@shiliuzi/shared/audit';
import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import type { Role } from '@shiliuzi/shared/registry';
import { exportAudit, useAuditEntries } from '@/features/audit/api.ts';
import { formatDateTime } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';

const a = t.audit;
const resultColors: Record<string, string> = { ok: 'success', denied: 'warning', failed: 'error' };

interface FilterForm {
  period?: [Dayjs, Dayjs] | null;
  username?: string;
  action?: string;
  result?: AuditFilter['result'];
}

function toFilter(values: FilterForm): AuditFilter {
  return {
    ...(values.period
      ? { from: values.period[0].format('YYYY-MM-DD'), to: values.period[1].format('YYYY-MM-DD') }
      : {}),
    ...(values.username?.trim() ? { username: values.username.trim() } : {}),
    ...(values.action ? { action: values.action } : {}),
    ...(values.result ? { result: values.result } : {}),
  };
}

const roleNames = (roles: string | null) =>
  (roles ?? '')
    .split(',')
    .filter(Boolean)
    .map((role) => registryLabels.roles[role as Role] ?? role)
    .join('、');

/** 审计日志: the auditor's view of who did what, filtered, paged, and exportable as CSV. */
function AuditPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<FilterForm>();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const entries = useAuditEntries(filter, page.page, page.pageSize);

  const columns = [
    {
      key: 'at',
      title: a.columns.at,
      width: 150,
      render: (_: unknown, e: AuditEntry) => formatDateTime(e.at),
    },
    { key: 'username', title: a.columns.username, dataIndex: 'username', width: 120 },
    {
      key: 'roles',
      title: a.columns.roles,
      width: 110,
      render: (_: unknown, e: AuditEntry) => roleNames(e.roles),
    },
    { key: 'ip', title: a.columns.ip, dataIndex: 'ip', width: 120 },
    {
      key: 'action',
      title: a.columns.action,
      width: 180,
      render: (_: unknown, e: AuditEntry) => a.actions[e.action] ?? e.action,
    },
    { key: 'object', title: a.columns.object, dataIndex: 'objectId', width: 120, ellipsis: true },
    {
      key: 'result',
      title: a.columns.result,
      width: 80,
      render: (_: unknown, e: AuditEntry) => <Tag color={resultColors[e.result]}>{a.results[e.result]}</Tag>,
    },
    { key: 'reason', title: a.columns.reason, dataIndex: 'reason', width: 160, ellipsis: true },
    {
      key: 'detail',
      title: a.columns.detail,
      ellipsis: { showTitle: false },
      render: (_: unknown, e: AuditEntry) =>
        e.detail ? (
          <Tooltip title={e.detail} placement="topLeft">
            <span>{e.detail}</span>
          </Tooltip>
        ) : null,
    },
  ];

  return (
    <>
      <Typography.Title level={4}>{a.title}</Typography.Title>
      <Typography.Paragraph type="secondary">{a.hint}</Typography.Paragraph>
      <Card size="small">
        <Form<FilterForm>
          form={form}
          layout="inline"
          onFinish={(values) => {
            setFilter(toFilter(values));
            setPage((p) => ({ ...p, page: 1 }));
          }}
        >
          <Form.Item name="period" label={a.period}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="username" label={a.username}>
            <Input allowClear style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="action" label={a.action}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 200 }}
              options={Object.entries(a.actions).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item name="result" label={a.result}>
            <Select
              allowClear
              style={{ width: 100 }}
              options={Object.entries(a.results).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Space wrap>
            <Button type="primary" htmlType="submit">
              {a.search}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilter({});
              }}
            >
              {a.reset}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              onClick={async () => void message.success(a.exported(await exportAudit(filter)))}
            >
              {a.export}
            </Button>
          </Space>
        </Form>
      </Card>
      <Table<AuditEntry>
        style={{ marginTop: 16 }}
        size="small"
        rowKey="seq"
        loading={entries.isFetching}
        columns={columns}
        dataSource={entries.data?.items ?? []}
        scroll={{ x: 1200 }}
        pagination={{
          current: page.page,
          pageSize: page.pageSize,
          total: entries.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (next, pageSize) => setPage({ page: next, pageSize }),
        }}
      />
    </>
  );
}

export { AuditPage as Component };
