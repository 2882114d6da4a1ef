import { Alert, Button, DatePicker, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  formatFen,
  fundSources,
  parseYuanToFen,
  visitPurposes,
  type Visit,
  type VisitInput,
  type VisitPurpose,
} from '@shiliuzi/shared/casework-visits';
import { UserPicker } from '@/components/user-picker.tsx';
import { t } from '@/locales/zh-CN/index.ts';
import { HouseholdPicker, ResidentPicker } from './record-pickers.tsx';
import { VisitPhotoPicker, type PhotoChanges } from './visit-photo-picker.tsx';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface VisitFormValues {
  visitedOn: Dayjs;
  purpose: VisitPurpose;
  visitorIds: string[];
  residentIds: string[];
  householdIds: string[];
  location?: string;
  gifts?: string;
  amount?: string;
  fundSource?: string | null;
  notes?: string;
}

export interface VisitFormProps {
  orgUnitId: string;
  visit?: Visit | undefined;
  /** The signed-in user, the first visitor of a new visit. */
  me?: { id: string; displayName: string } | undefined;
  /** Prefilled for a must-visit opened from 我的任务. */
  preset?: {
    residentId?: string | undefined;
    residentName?: string | undefined;
    householdId?: string | undefined;
    householdLabel?: string | undefined;
    purpose?: VisitPurpose | undefined;
  };
  submitting: boolean;
  /** What is being sent after the save (the photos, one by one). */
  progress?: string | undefined;
  error?: string | undefined;
  /** The visit's fields, and the photos to add and take off once it is saved. */
  onSubmit: (input: VisitInput, photos: PhotoChanges) => void;
  onCancel: () => void;
}

const blank = (value: string | undefined | null) => (value && value.trim() !== '' ? value.trim() : null);

/** Records a visit; one column, large targets: made for a grid worker's phone in the field. */
export function VisitForm({
  orgUnitId,
  visit,
  me,
  preset,
  submitting,
  progress,
  error,
  onSubmit,
  onCancel,
}: VisitFormProps) {
  const [form] = Form.useForm<VisitFormValues>();
  const [photos, setPhotos] = useState<PhotoChanges>({ added: [], removedIds: [] });
  const f = t.casework.visits.fields;
  const knownResidents = [
    ...(visit?.residents.map((r) => ({ value: r.id, label: r.name })) ?? []),
    ...(preset?.residentId ? [{ value: preset.residentId, label: preset.residentName ?? '' }] : []),
  ];
  const initial: Partial<VisitFormValues> = visit
    ? {
        visitedOn: dayjs(visit.visitedOn),
        purpose: visit.purpose,
        visitorIds: visit.visitors.map((u) => u.id),
        residentIds: visit.residents.map((r) => r.id),
        householdIds: visit.households.map((h) => h.id),
        location: visit.location ?? '',
        gifts: visit.gifts ?? '',
        amount: visit.amountFen === null ? '' : formatFen(visit.amountFen),
        fundSource: visit.fundSource,
        notes: visit.notes ?? '',
      }
    : {
        visitedOn: dayjs(),
        purpose: preset?.purpose ?? 'routine',
        visitorIds: me ? [me.id] : [],
        residentIds: preset?.residentId ? [preset.residentId] : [],
        householdIds: preset?.householdId ? [preset.householdId] : [],
      };

  const handleFinish = (values: VisitFormValues) => {
    const amountFen = blank(values.amount) === null ? null : parseYuanToFen(values.amount!)!;
    onSubmit(
      {
        orgUnitId: visit?.orgUnitId ?? orgUnitId,
        visitedOn: values.visitedOn.format('YYYY-MM-DD'),
        purpose: values.purpose,
        visitorIds: values.visitorIds ?? [],
        residentIds: values.residentIds ?? [],
        householdIds: values.householdIds ?? [],
        location: blank(values.location),
        gifts: blank(values.gifts),
        amountFen,
        fundSource: (values.fundSource ?? null) as VisitInput['fundSource'],
        notes: blank(values.notes),
      },
      photos,
    );
  };

  return (
    <Form<VisitFormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={handleFinish}
      validateTrigger={['onChange', 'onBlur']}
      style={{ maxWidth: 560 }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="visitedOn"
        label={f.visitedOn}
        rules={[
          { required: true },
          {
            validator: (_, value: Dayjs | null) =>
              value && value.isAfter(dayjs(), 'day')
                ? Promise.reject(new Error(t.casework.visits.futureDate))
                : Promise.resolve(),
          },
        ]}
      >
        <DatePicker style={{ width: '100%' }} inputReadOnly disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item name="purpose" label={f.purpose} rules={[{ required: true }]}>
        <Select
          options={visitPurposes.map((p) => ({ value: p, label: t.casework.visitPurposes[p] }))}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <Form.Item name="visitorIds" label={f.visitors} extra={t.casework.visits.visitorsHint}>
        <UserPicker<string[]>
          multiple
          known={[
            ...(visit?.visitors.map((u) => ({ value: u.id, label: u.displayName })) ?? []),
            ...(me && !visit ? [{ value: me.id, label: me.displayName }] : []),
          ]}
        />
      </Form.Item>
      <Form.Item name="residentIds" label={f.residents}>
        <ResidentPicker orgUnitId={visit?.orgUnitId ?? orgUnitId} multiple known={knownResidents} />
      </Form.Item>
      <Form.Item name="householdIds" label={f.households}>
        <HouseholdPicker
          orgUnitId={visit?.orgUnitId ?? orgUnitId}
          multiple
          known={[
            ...(visit?.households.map((h) => ({ value: h.id, label: h.label })) ?? []),
            ...(preset?.householdId
              ? [{ value: preset.householdId, label: preset.householdLabel ?? '' }]
              : []),
          ]}
        />
      </Form.Item>
      <Form.Item name="location" label={f.location} rules={[{ max: 200 }, personalNumbersWarning]}>
        <Input />
      </Form.Item>
      <Form.Item name="gifts" label={f.gifts} rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <Form.Item
        name="amount"
        label={f.amountFen}
        rules={[
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
      <Form.Item
        name="fundSource"
        label={f.fundSource}
        dependencies={['amount']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, value: string | null | undefined) => {
              const fen = parseYuanToFen(getFieldValue('amount') ?? '');
              return fen && !value
                ? Promise.reject(new Error(t.casework.visits.fundSourceRequired))
                : Promise.resolve();
            },
          }),
        ]}
      >
        <Select
          allowClear
          options={fundSources.map((s) => ({ value: s, label: t.casework.fundSources[s] }))}
          style={{ width: '100%' }}
        />
      </Form.Item>
      <Form.Item name="notes" label={f.notes} rules={[{ max: 2000 }, personalNumbersWarning]}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item label={f.photos}>
        <VisitPhotoPicker
          visitId={visit?.id}
          existing={visit?.photos ?? []}
          value={photos}
          onChange={setPhotos}
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting} size="large">
          {t.common.save}
        </Button>
        <Button onClick={onCancel} size="large">
          {t.common.cancel}
        </Button>
        {progress && <Typography.Text type="secondary">{progress}</Typography.Text>}
      </Space>
    </Form>
  );
}
