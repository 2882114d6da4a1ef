import { Alert, Button, DatePicker, Form, Input, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { mustVisitKinds, type MustVisitInput, type MustVisitKind } from '@shiliuzi/shared/casework-visits';
import { t } from '@/locales/zh-CN/index.ts';
import { ResidentPicker } from './record-pickers.tsx';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface Values {
  residentId: string;
  kind: MustVisitKind;
  eventOn: Dayjs;
  note?: string;
}

/** Records that a resident was hospitalised, met hardship, is in a dispute or has a special circumstance. */
export function MustVisitEventForm(props: {
  orgUnitId: string;
  submitting: boolean;
  error?: string | undefined;
  onSubmit: (input: MustVisitInput) => void;
}) {
  const f = t.casework.mustVisits.fields;
  return (
    <Form<Values>
      layout="vertical"
      initialValues={{ eventOn: dayjs(), kind: 'hospitalised' }}
      validateTrigger={['onChange', 'onBlur']}
      onFinish={(values) =>
        props.onSubmit({
          residentId: values.residentId,
          kind: values.kind,
          eventOn: values.eventOn.format('YYYY-MM-DD'),
          note: values.note?.trim() || null,
        })
      }
    >
      {props.error && <Alert type="error" showIcon title={props.error} style={{ marginBottom: 16 }} />}
      <Form.Item name="residentId" label={f.residentName} rules={[{ required: true }]}>
        <ResidentPicker orgUnitId={props.orgUnitId} />
      </Form.Item>
      <Form.Item name="kind" label={f.kind} rules={[{ required: true }]}>
        <Select options={mustVisitKinds.map((k) => ({ value: k, label: t.casework.mustVisitKinds[k] }))} />
      </Form.Item>
      <Form.Item
        name="eventOn"
        label={f.eventOn}
        rules={[
          { required: true },
          {
            validator: (_, value: Dayjs | null) =>
              value && value.isAfter(dayjs(), 'day')
                ? Promise.reject(new Error(t.casework.mustVisits.eventInFuture))
                : Promise.resolve(),
          },
        ]}
      >
        <DatePicker style={{ width: '100%' }} inputReadOnly disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="note" label={f.note} rules={[{ max: 500 }, personalNumbersWarning]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={props.submitting}>
        {t.common.save}
      </Button>
    </Form>
  );
}
