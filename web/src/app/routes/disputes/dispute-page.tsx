import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  Result,
  Row,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { Link, useNavigate, useParams } from 'react-router';
import type { Dispute } from '@shiliuzi/shared/casework-disputes';
import { canEditRegistry } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import {
  useAddMediationStep,
  useDeleteDispute,
  useDispute,
  useRestoreDispute,
  useUpdateDispute,
} from '@/features/disputes/api.ts';
import { HistoryTimeline } from '@/features/history/components/history-timeline.tsx';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { ethnicityName } from '@/lib/format.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { DeleteOrRestore } from '@/components/delete-or-restore.tsx';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

const pastDateRule = {
  validator: async (_rule: unknown, value: Dayjs | undefined) => {
    if (value && value.isAfter(dayjs(), 'day')) throw new Error(t.disputes.futureDate);
  },
};

/** Adds a mediation step (调处记录): date, what was done, who mediated. */
function StepForm({ dispute }: { dispute: Dispute }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ stepDate: Dayjs; notes: string; handledBy?: string }>();
  const add = useAddMediationStep(dispute.id);
  const s = t.disputes.steps;
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ stepDate: dayjs() }}
      onFinish={(v) =>
        add.mutate(
          {
            version: dispute.version,
            stepDate: v.stepDate.format('YYYY-MM-DD'),
            notes: v.notes.trim(),
            handledBy: v.handledBy?.trim() || null,
          },
          {
            onSuccess: () => {
              message.success(s.addedOk);
              form.resetFields();
            },
            onError: (e) => message.error(e.message),
          },
        )
      }
    >
      <Row gutter={8}>
        <Col xs={12} md={8}>
          <Form.Item
            name="stepDate"
            label={s.stepDate}
            rules={[{ required: true, message: t.disputes.required }, pastDateRule]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="handledBy" label={s.handledBy} rules={[{ max: 50 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="notes"
            label={s.notes}
            rules={[
              { required: true, whitespace: true, message: t.disputes.required },
              { max: 2000 },
              personalNumbersWarning,
            ]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
        </Col>
      </Row>
      <Button htmlType="submit" loading={add.isPending}>
        {s.add}
      </Button>
    </Form>
  );
}

/** One dispute: parties with their ethnicities, the mediation timeline, outcome and history. */
function DisputePage() {
  const { message } = App.useApp();
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const me = useMe().data!;
  const navigate = useNavigate();
  const dispute = useDispute(id);
  const update = useUpdateDispute(id ?? '');
  const remove = useDeleteDispute();
  const restore = useRestoreDispute();
  if (dispute.isPending) return <Spin />;
  if (dispute.isError) return <Result status="warning" title={dispute.error.message} />;
  const x = dispute.data;
  const d = t.disputes;
  const f = d.fields;
  const none = t.common.none;
  const canEdit = canEditRegistry(me.roles) && x.deletedAt === null;
  const setOutcome = (outcome: Dispute['outcome']) =>
    update.mutate(
      { version: x.version, outcome },
      { onSuccess: () => message.success(d.resolvedOk), onError: (e) => message.error(e.message) },
    );

  return (
    <>
      <Space wrap style={{ marginBottom: 12, justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {d.detailTitle}：{x.parties.map((p) => p.name).join('、')}{' '}
          {x.deletedAt && <Tag>{t.common.deleted}</Tag>}
        </Typography.Title>
        <Space wrap>
          <Link to={`/disputes?org=${orgUnitId}`}>
            <Button>{t.common.back}</Button>
          </Link>
          {canEdit && x.outcome === 'ongoing' && (
            <>
              <Button type="primary" loading={update.isPending} onClick={() => setOutcome('resolved')}>
                {d.resolve}
              </Button>
              <Button loading={update.isPending} onClick={() => setOutcome('transferred')}>
                {d.transfer}
              </Button>
            </>
          )}
          {canEdit && x.outcome !== 'ongoing' && (
            <Button loading={update.isPending} onClick={() => setOutcome('ongoing')}>
              {d.reopen}
            </Button>
          )}
          {canEditRegistry(me.roles) && (
            <DeleteOrRestore
              deleted={x.deletedAt !== null}
              onDelete={() => remove.mutateAsync({ id: x.id, version: x.version })}
              onRestore={() => restore.mutateAsync({ id: x.id, version: x.version })}
              onDeleted={() => navigate(`/disputes?org=${orgUnitId}`)}
            />
          )}
        </Space>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Card size="small">
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={f.intakeDate}>{x.intakeDate}</Descriptions.Item>
              <Descriptions.Item label={f.source}>{d.sources[x.source]}</Descriptions.Item>
              <Descriptions.Item label={f.category}>{d.categories[x.category]}</Descriptions.Item>
              <Descriptions.Item label={f.riskLevel}>{d.riskLevels[x.riskLevel]}</Descriptions.Item>
              <Descriptions.Item label={f.handlingLevel}>{d.levels[x.handlingLevel]}</Descriptions.Item>
              <Descriptions.Item label={f.isEthnicFactor}>
                {x.isEthnicFactor ? t.common.yes : t.common.no}
              </Descriptions.Item>
              <Descriptions.Item label={f.outcome}>
                <Tag>{d.outcomes[x.outcome]}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label={f.closedOn}>{x.closedOn ?? none}</Descriptions.Item>
              <Descriptions.Item label={f.orgUnitName}>{x.orgUnitName}</Descriptions.Item>
              <Descriptions.Item label={f.parties} span={2}>
                <Space wrap>
                  {x.parties.map((p) => (
                    <Tag key={p.id}>
                      {p.residentId ? (
                        <Link to={`/residents/${p.residentId}?org=${orgUnitId}`}>{p.name}</Link>
                      ) : (
                        p.name
                      )}
                      {p.ethnicityCode ? `（${ethnicityName(p.ethnicityCode)}）` : ''}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label={f.summary} span={2}>
                {x.summary}
              </Descriptions.Item>
              <Descriptions.Item label={f.followUp} span={2}>
                {x.followUp ?? none}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title={d.steps.title} style={{ marginTop: 16 }}>
            {x.steps.length === 0 ? (
              <Empty description={d.steps.empty} />
            ) : (
              <Timeline
                items={x.steps.map((s) => ({
                  key: s.id,
                  content: (
                    <div>
                      <Typography.Text strong>{s.stepDate}</Typography.Text>{' '}
                      {s.handledBy && <Typography.Text type="secondary">{s.handledBy}</Typography.Text>}
                      <div>{s.notes}</div>
                    </div>
                  ),
                }))}
              />
            )}
            {canEdit && <StepForm dispute={x} />}
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card size="small" title={t.common.history}>
            <HistoryTimeline collection="disputes" id={x.id} fieldLabels={f} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

export { DisputePage as Component };
