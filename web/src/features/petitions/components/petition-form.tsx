import { Alert, Button, Col, DatePicker, Form, Input, Row, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { petitionChannels, type PetitionInput } from '@shiliuzi/shared/casework-petitions';
import { useOrgChildren, useOrgUnit } from '@/features/org-units/api.ts';
import { UserPicker } from '@/components/user-picker.tsx';
import { t } from '@/locales/zh-CN/index.ts';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface PetitionFormValues {
  orgUnitId: string;
  channel: PetitionInput['channel'];
  receivedDate: Dayjs;
  requesterName?: string;
  subject: string;
  assigneeId?: string;
}

export interface PetitionFormProps {
  orgUnitId: string;
  submitting: boolean;
  error?: string | undefined;
  onSubmit: (input: PetitionInput) => void;
  onCancel: () => void;
}

const pastDateRule = {
  validator: async (_rule: unknown, value: Dayjs | undefined) => {
    if (value && value.isAfter(dayjs(), 'day')) throw new Error(t.disputes.futureDate);
  },
};

/** Intake of a petition or hotline call (受理登记); checks as you type, works at phone width. */
export function PetitionForm({ orgUnitId, submitting, error, onSubmit, onCancel }: PetitionFormProps) {
  const p = t.petitions;
  const f = p.fields;
  const org = useOrgUnit(orgUnitId);
  const children = useOrgChildren(orgUnitId);
  const orgOptions = [
    ...(org.data ? [{ value: org.data.id, label: org.data.name }] : []),
    ...(children.data ?? []).map((unit) => ({
      value: unit.id,
      label: `${org.data?.name ?? ''} / ${unit.name}`,
    })),
  ];
  return (
    <Form<PetitionFormValues>
      layout="vertical"
      initialValues={{ orgUnitId, channel: 'hotline', receivedDate: dayjs() }}
      scrollToFirstError
      onFinish={(v) =>
        onSubmit({
          orgUnitId: v.orgUnitId,
          channel: v.channel,
          receivedDate: v.receivedDate.format('YYYY-MM-DD'),
          requesterName: v.requesterName?.trim() || null,
          subject: v.subject.trim(),
          assigneeId: v.assigneeId ?? null,
        })
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={t.disputes.fields.orgUnitId} rules={[{ required: true }]}>
            <Select options={orgOptions} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="channel" label={f.channel} rules={[{ required: true }]}>
            <Select options={petitionChannels.map((c) => ({ value: c, label: p.channels[c] }))} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="receivedDate"
            label={f.receivedDate}
            rules={[{ required: true, message: t.disputes.required }, pastDateRule]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="requesterName" label={f.requester} rules={[{ max: 50 }]}>
            <Input placeholder={p.anonymous} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="assigneeId" label={f.assignee}>
            <UserPicker<string> />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="subject"
            label={f.subject}
            rules={[
              { required: true, whitespace: true, message: t.disputes.required },
              { max: 2000 },
              personalNumbersWarning,
            ]}
          >
            <Input.TextArea rows={3} showCount maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {t.common.save}
        </Button>
        <Button onClick={onCancel}>{t.common.cancel}</Button>
      </Space>
    </Form>
  );
}
