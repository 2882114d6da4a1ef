import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Pairing } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { UserPicker } from '@/components/user-picker.tsx';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  useCaseworkStatistics,
  useCreatePairing,
  usePairings,
  useUpdatePairing,
} from '@/features/visits/api.ts';
import { HouseholdPicker } from '@/features/visits/components/record-pickers.tsx';
import { paginationOf, useListParams } from '@/features/visits/use-list-params.ts';
import { percent } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface PairingValues {
  householdId: string;
  cadreId: string;
  startedOn: Dayjs;
  frequencyDays: number;
  note?: string;
}

/** Pairings (结对子、交朋友) of the selected unit, who was responsible on a date, coverage and compliance. */
function PairingsPage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe();
  const list = useListParams();
  const [creating, setCreating] = useState(false);
  const pairings = usePairings(
    {
      orgUnitId,
      q: list.get('q'),
      activeOn: list.get('activeOn'),
      page: list.page,
      pageSize: list.pageSize,
      order: 'desc',
    },
    orgUnitId !== undefined,
  );
  const figures = useCaseworkStatistics(orgUnitId);
  const create = useCreatePairing();
  const update = useUpdatePairing();
  const p = t.casework.pairings;
  const canEdit = me.data ? canEditRegistry(me.data.roles) : false;
  const today = localDateText();

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4}>{p.title}</Typography.Title>
        {canEdit && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {p.create}
          </Button>
        )}
      </Space>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} md={12}>
          <Card size="small">
            <Statistic
              title={p.coverage}
              value={figures.data ? percent(figures.data.pairings.coverage) : '—'}
            />
            <Typography.Text type="secondary">{p.coverageFormula}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small">
            <Statistic
              title={p.compliance}
              value={figures.data ? percent(figures.data.pairings.compliance) : '—'}
            />
            <Typography.Text type="secondary">{p.complianceFormula}</Typography.Text>
          </Card>
        </Col>
      </Row>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          key={list.get('q') ?? ''}
          defaultValue={list.get('q')}
          allowClear
          enterButton={t.common.search}
          placeholder={p.householdSearch}
          aria-label={p.householdSearch}
          onSearch={(value) => list.set({ q: value.trim() || undefined })}
          style={{ maxWidth: 320 }}
        />
        <DatePicker
          placeholder={p.activeOn}
          aria-label={p.activeOn}
          value={list.get('activeOn') ? dayjs(list.get('activeOn')) : null}
          onChange={(d) => list.set({ activeOn: d?.format('YYYY-MM-DD') })}
          style={{ width: 200 }}
        />
      </Space>
      <Table<Pairing>
        rowKey="id"
        size="middle"
        scroll={{ x: 'max-content' }}
        loading={pairings.isFetching}
        dataSource={pairings.data?.items ?? []}
        pagination={paginationOf(pairings.data, list, t.common.total)}
        columns={[
          {
            key: 'household',
            title: p.fields.householdLabel,
            render: (_, row) => row.householdLabel || row.householdId.slice(0, 8),
          },
          { key: 'cadre', title: p.fields.cadreName, dataIndex: 'cadreName' },
          { key: 'startedOn', title: p.fields.startedOn, dataIndex: 'startedOn' },
          {
            key: 'endedOn',
            title: p.fields.endedOn,
            render: (_, row) => row.endedOn ?? <Tag color="green">{p.ongoing}</Tag>,
          },
          { key: 'frequency', title: p.fields.frequencyDays, dataIndex: 'frequencyDays' },
          {
            key: 'last',
            title: p.fields.lastContactOn,
            render: (_, row) => row.lastContactOn ?? t.common.none,
          },
          {
            key: 'due',
            title: p.fields.contactDueOn,
            render: (_, row) =>
              row.endedOn ? (
                t.common.none
              ) : (
                <Typography.Text type={row.contactDueOn < today ? 'danger' : undefined}>
                  {row.contactDueOn}
                </Typography.Text>
              ),
          },
          {
            key: 'actions',
            title: t.common.actions,
            render: (_, row) =>
              canEdit && !row.endedOn ? (
                <Popconfirm
                  title={p.end}
                  onConfirm={() =>
                    update.mutate(
                      { id: row.id, version: row.version, endedOn: today },
                      {
                        onSuccess: () => message.success(t.common.savedOk),
                        onError: (e) => message.error(e.message),
                      },
                    )
                  }
                >
                  <Button size="small">{p.end}</Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
      <Modal
        open={creating}
        title={p.createTitle}
        footer={null}
        destroyOnHidden
        onCancel={() => setCreating(false)}
      >
        {orgUnitId && me.data && (
          <Form<PairingValues>
            layout="vertical"
            initialValues={{ cadreId: me.data.id, startedOn: dayjs(), frequencyDays: 30 }}
            validateTrigger={['onChange', 'onBlur']}
            onFinish={(values) =>
              create.mutate(
                {
                  householdId: values.householdId,
                  cadreId: values.cadreId,
                  startedOn: values.startedOn.format('YYYY-MM-DD'),
                  frequencyDays: values.frequencyDays,
                  note: values.note?.trim() || null,
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
            <Form.Item name="householdId" label={p.household} rules={[{ required: true }]}>
              <HouseholdPicker orgUnitId={orgUnitId} />
            </Form.Item>
            <Form.Item name="cadreId" label={p.cadre} rules={[{ required: true }]}>
              <UserPicker<string> known={[{ value: me.data.id, label: me.data.displayName }]} />
            </Form.Item>
            <Form.Item name="startedOn" label={p.fields.startedOn} rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} inputReadOnly />
            </Form.Item>
            <Form.Item
              name="frequencyDays"
              label={p.fields.frequencyDays}
              rules={[{ required: true }, { type: 'integer', min: 1, max: 366 }]}
            >
              <InputNumber min={1} max={366} precision={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="note" label={p.fields.note} rules={[{ max: 500 }, personalNumbersWarning]}>
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

export { PairingsPage as Component };
