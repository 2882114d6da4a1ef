import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Result,
  Row,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router';
import { petitionTransitions, type Petition, type PetitionStatus } from '@shiliuzi/shared/casework-petitions';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { HistoryTimeline } from '@/features/history/components/history-timeline.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  useChangePetitionStatus,
  useDeletePetition,
  usePetition,
  useRestorePetition,
} from '@/features/petitions/api.ts';
import { formatDateTime } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { DeleteOrRestore } from '@/components/delete-or-restore.tsx';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

/** Moves the petition to one of the statuses allowed from its current one. */
function StatusForm({ petition }: { petition: Petition }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ status: PetitionStatus; date: Dayjs; notes?: string }>();
  const change = useChangePetitionStatus(petition.id);
  const p = t.petitions;
  const next = petitionTransitions[petition.status];
  if (next.length === 0) return null;
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ status: next[0], date: dayjs() }}
      onFinish={(v) =>
        change.mutate(
          {
            version: petition.version,
            status: v.status,
            date: v.date.format('YYYY-MM-DD'),
            notes: v.notes?.trim() || null,
          },
          {
            onSuccess: () => {
              message.success(p.statusChangedOk);
              form.resetFields();
            },
            onError: (e) => message.error(e.message),
          },
        )
      }
    >
      <Row gutter={8}>
        <Col xs={12} md={8}>
          <Form.Item name="status" label={p.next} rules={[{ required: true }]}>
            <Select aria-label={p.next} options={next.map((s) => ({ value: s, label: p.statuses[s] }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="date"
            label={p.statusDate}
            rules={[
              { required: true, message: t.disputes.required },
              {
                validator: async (_r, value?: Dayjs) => {
                  if (value && value.isAfter(dayjs(), 'day')) throw new Error(t.disputes.futureDate);
                },
              },
            ]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="notes" label={p.notes} rules={[{ max: 2000 }, personalNumbersWarning]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={change.isPending}>
        {p.changeStatus}
      </Button>
    </Form>
  );
}

/** One petition or hotline call: its details, the status timeline and the next step. */
function PetitionPage() {
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe().data!;
  const navigate = useNavigate();
  const petition = usePetition(id);
  const remove = useDeletePetition();
  const restore = useRestorePetition();
  if (petition.isPending) return <Spin />;
  if (petition.isError) return <Result status="warning" title={petition.error.message} />;
  const x = petition.data;
  const p = t.petitions;
  const f = p.fields;
  const none = t.common.none;
  const canEdit = canEditRegistry(me.roles);
  return (
    <>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {p.detailTitle} {x.deletedAt && <Tag>{t.common.deleted}</Tag>}
        </Typography.Title>
        <Space wrap>
          <Link to={`/petitions?org=${orgUnitId}`}>
            <Button>{t.common.back}</Button>
          </Link>
          {canEdit && (
            <DeleteOrRestore
              deleted={x.deletedAt !== null}
              onDelete={() => remove.mutateAsync({ id: x.id, version: x.version })}
              onRestore={() => restore.mutateAsync({ id: x.id, version: x.version })}
              onDeleted={() => navigate(`/petitions?org=${orgUnitId}`)}
            />
          )}
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.channel}>{p.channels[x.channel]}</Descriptions.Item>
              <Descriptions.Item label={f.receivedDate}>{x.receivedDate}</Descriptions.Item>
              <Descriptions.Item label={f.requester}>{x.requesterName ?? p.anonymous}</Descriptions.Item>
              <Descriptions.Item label={f.assignee}>{x.assigneeName ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.status}>
                <Tag>{p.statuses[x.status]}</Tag>
                {x.isOverdue && <Tag color="red">{p.overdue}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={f.dueDate}>{x.dueDate}</Descriptions.Item>
              <Descriptions.Item label={f.responseDate}>{x.responseDate ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.orgUnitName}>{x.orgUnitName}</Descriptions.Item>
              <Descriptions.Item label={f.subject} span={2}>
                {x.subject}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={p.timeline} style={{ marginTop: 16 }}>
            <Timeline
              items={x.events.map((e) => ({
                key: e.id,
                color: e.toStatus === 'done' ? 'green' : 'blue',
                content: (
                  <div>
                    <Typography.Text strong>{p.statuses[e.toStatus]}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {e.date} · {e.actorName} · {formatDateTime(e.at)}
                    </Typography.Text>
                    {e.notes && <div>{e.notes}</div>}
                  </div>
                ),
              }))}
            />
            {canEdit && !x.deletedAt && <StatusForm petition={x} />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t.common.history}>
            <HistoryTimeline collection="petitions" id={x.id} fieldLabels={f} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { PetitionPage as Component };
