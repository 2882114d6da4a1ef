import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, DatePicker, Form, Input, Radio, Row, Select, Space, Switch } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import {
  disputeCategories,
  disputeLevels,
  disputeRiskLevels,
  disputeSources,
  type DisputeInput,
} from '@shiliuzi/shared/casework-disputes';
import { ethnicGroups } from '@shiliuzi/shared/ethnicity';
import { useOrgChildren, useOrgUnit } from '@/features/org-units/api.ts';
import { useResidents } from '@/features/residents/api.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

interface PartyValues {
  kind: 'resident' | 'text';
  residentId?: string;
  name?: string;
  ethnicityCode?: string;
}

interface DisputeFormValues {
  orgUnitId: string;
  intakeDate: Dayjs;
  source: DisputeInput['source'];
  category: DisputeInput['category'];
  riskLevel: DisputeInput['riskLevel'];
  handlingLevel: DisputeInput['handlingLevel'];
  isEthnicFactor: boolean;
  summary: string;
  parties: PartyValues[];
  followUp?: string;
}

export interface DisputeFormProps {
  /** The org unit selected in the shell: the dispute is filed under it or one of its children. */
  orgUnitId: string;
  submitting: boolean;
  error?: string | undefined;
  onSubmit: (input: DisputeInput) => void;
  onCancel: () => void;
}

const options = <K extends string>(codes: readonly K[], labels: Record<K, string>) =>
  codes.map((value) => ({ value, label: labels[value] }));
const ethnicityOptions = ethnicGroups.map((g) => ({ value: g.code, label: g.name }));
const notInFuture = (current: Dayjs) => current.isAfter(dayjs(), 'day');
const pastDateRule = {
  validator: async (_rule: unknown, value: Dayjs | undefined) => {
    if (value && value.isAfter(dayjs(), 'day')) throw new Error(t.disputes.futureDate);
  },
};

/** One party: a resident of the scope picked by name, or someone unregistered typed in. */
function PartyFields({ index, orgUnitId }: { index: number; orgUnitId: string }) {
  const p = t.disputes.party;
  const form = Form.useFormInstance<DisputeFormValues>();
  const kind = Form.useWatch(['parties', index, 'kind'], form);
  const [search, setSearch] = useState('');
  const residents = useResidents(
    { orgUnitId, q: search || undefined, pageSize: 20 },
    kind === 'resident' && search !== '',
  );
  return (
    <Space wrap align="start">
      <Form.Item name={[index, 'kind']} noStyle>
        <Radio.Group
          optionType="button"
          size="small"
          options={[
            { value: 'text', label: p.text },
            { value: 'resident', label: p.resident },
          ]}
        />
      </Form.Item>
      {kind === 'resident' ? (
        <Form.Item name={[index, 'residentId']} rules={[{ required: true, message: p.pickResident }]}>
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            placeholder={p.pickResident}
            aria-label={p.pickResident}
            style={{ minWidth: 220 }}
            loading={residents.isFetching}
            options={(residents.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.name}（${ethnicGroups.find((g) => g.code === r.ethnicityCode)?.name ?? ''}）`,
            }))}
          />
        </Form.Item>
      ) : (
        <>
          <Form.Item
            name={[index, 'name']}
            rules={[{ required: true, whitespace: true, message: t.disputes.required }, { max: 50 }]}
          >
            <Input placeholder={p.name} aria-label={`${p.name} ${index + 1}`} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name={[index, 'ethnicityCode']}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={p.ethnicity}
              aria-label={`${p.ethnicity} ${index + 1}`}
              options={ethnicityOptions}
              style={{ width: 120 }}
            />
          </Form.Item>
        </>
      )}
    </Space>
  );
}

/** Intake form of a dispute (受理登记); it checks as you type and works at phone width. */
export function DisputeForm({ orgUnitId, submitting, error, onSubmit, onCancel }: DisputeFormProps) {
  const [form] = Form.useForm<DisputeFormValues>();
  const f = t.disputes.fields;
  const d = t.disputes;
  const org = useOrgUnit(orgUnitId);
  const children = useOrgChildren(orgUnitId);
  const orgOptions = [
    ...(org.data ? [{ value: org.data.id, label: org.data.name }] : []),
    ...(children.data ?? []).map((unit) => ({
      value: unit.id,
      label: `${org.data?.name ?? ''} / ${unit.name}`,
    })),
  ];
  const handleFinish = (v: DisputeFormValues) =>
    onSubmit({
      orgUnitId: v.orgUnitId,
      intakeDate: v.intakeDate.format('YYYY-MM-DD'),
      source: v.source,
      category: v.category,
      riskLevel: v.riskLevel,
      handlingLevel: v.handlingLevel,
      isEthnicFactor: v.isEthnicFactor,
      summary: v.summary.trim(),
      followUp: v.followUp?.trim() || null,
      parties: v.parties.map((p) =>
        p.kind === 'resident'
          ? { residentId: p.residentId! }
          : { name: p.name!.trim(), ethnicityCode: p.ethnicityCode ?? null },
      ),
    });
  return (
    <Form<DisputeFormValues>
      form={form}
      layout="vertical"
      initialValues={{
        orgUnitId,
        intakeDate: dayjs(),
        source: 'survey',
        riskLevel: 'low',
        handlingLevel: 'grid',
        isEthnicFactor: false,
        parties: [{ kind: 'text' }],
      }}
      onFinish={handleFinish}
      scrollToFirstError
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="orgUnitId" label={f.orgUnitId} rules={[{ required: true, message: d.required }]}>
            <Select options={orgOptions} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="intakeDate"
            label={f.intakeDate}
            rules={[{ required: true, message: d.required }, pastDateRule]}
          >
            <DatePicker style={{ width: '100%' }} disabledDate={notInFuture} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="source" label={f.source} rules={[{ required: true, message: d.required }]}>
            <Select options={options(disputeSources, d.sources)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="category" label={f.category} rules={[{ required: true, message: d.required }]}>
            <Select options={options(disputeCategories, d.categories)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item name="riskLevel" label={f.riskLevel} rules={[{ required: true, message: d.required }]}>
            <Select options={options(disputeRiskLevels, d.riskLevels)} />
          </Form.Item>
        </Col>
        <Col xs={12} md={6}>
          <Form.Item
            name="handlingLevel"
            label={f.handlingLevel}
            rules={[{ required: true, message: d.required }]}
          >
            <Select options={options(disputeLevels, d.levels)} />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item name="isEthnicFactor" label={f.isEthnicFactor} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Col>
        <Col xs={24}>
          <Form.Item
            name="summary"
            label={f.summary}
            rules={[
              { required: true, whitespace: true, message: d.required },
              { max: 2000 },
              personalNumbersWarning,
            ]}
          >
            <Input.TextArea rows={3} showCount maxLength={2000} />
          </Form.Item>
        </Col>
      </Row>
      <Form.List
        name="parties"
        rules={[
          {
            validator: async (_rule, parties?: PartyValues[]) => {
              if (!parties || parties.length === 0) throw new Error(d.party.required);
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <Form.Item label={f.parties} required>
            {fields.map((field) => (
              <Space key={field.key} align="start" style={{ display: 'flex' }}>
                <PartyFields index={field.name} orgUnitId={orgUnitId} />
                {fields.length > 1 && (
                  <Button
                    type="text"
                    aria-label={d.party.remove}
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                  />
                )}
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ kind: 'text' })}>
              {d.party.add}
            </Button>
            <Form.ErrorList errors={errors} />
          </Form.Item>
        )}
      </Form.List>
      <Form.Item name="followUp" label={f.followUp} rules={[{ max: 2000 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {t.common.save}
        </Button>
        <Button onClick={onCancel}>{t.common.cancel}</Button>
      </Space>
    </Form>
  );
}
