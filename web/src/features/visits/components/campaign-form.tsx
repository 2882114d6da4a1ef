import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ethnicGroups } from '@shiliuzi/shared/ethnicity';
import { residentFlags, type ResidentFlag } from '@shiliuzi/shared/registry';
import {
  festivals,
  type CampaignPreview,
  type CampaignTarget,
  type Festival,
  type VisitCampaignInput,
} from '@shiliuzi/shared/visit-campaigns';
import { ApiError } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { previewCampaign } from '../api.ts';

interface CampaignFormValues {
  festival: Festival;
  name?: string;
  startsOn: Dayjs;
  plannedOn: Dayjs;
  ethnicityCodes: string[];
  minorityOnly: boolean;
  flags: ResidentFlag[];
  note?: string;
}

export interface CampaignFormProps {
  orgUnitId: string;
  orgUnitName: string;
  submitting: boolean;
  error?: string | undefined;
  onSubmit: (input: VisitCampaignInput) => void;
}

const ethnicityOptions = ethnicGroups.map((g) => ({ value: g.code, label: g.name }));
// 志愿者 is no reason for a festival visit.
const targetFlags = residentFlags.filter((flag) => flag !== 'volunteer');

/**
 * A festival visit campaign for the selected unit: festival, dates and the target group; 预览
 * counts the households it would plan (and for whom) before 确认生成 creates them.
 */
export function CampaignForm({ orgUnitId, orgUnitName, submitting, error, onSubmit }: CampaignFormProps) {
  const c = t.casework.campaigns;
  const [form] = Form.useForm<CampaignFormValues>();
  const [preview, setPreview] = useState<{ key: string; result: CampaignPreview } | undefined>();
  const [previewError, setPreviewError] = useState<string | undefined>();
  const [previewing, setPreviewing] = useState(false);

  const targetOf = (values: CampaignFormValues): CampaignTarget => ({
    ethnicityCodes: values.ethnicityCodes ?? [],
    minorityOnly: values.minorityOnly ?? false,
    flags: values.flags ?? [],
  });
  // A preview belongs to the target group and date it was counted for.
  const keyOf = (values: CampaignFormValues) =>
    JSON.stringify([targetOf(values), values.plannedOn?.format('YYYY-MM-DD')]);
  const values = Form.useWatch([], form) as CampaignFormValues | undefined;
  const current = preview && values && preview.key === keyOf(values) ? preview.result : undefined;

  const handlePreview = async () => {
    const checked = await form.validateFields();
    setPreviewing(true);
    setPreviewError(undefined);
    try {
      const result = await previewCampaign(
        orgUnitId,
        checked.plannedOn.format('YYYY-MM-DD'),
        targetOf(checked),
      );
      setPreview({ key: keyOf(checked), result });
    } catch (e) {
      setPreviewError(e instanceof ApiError ? e.message : t.errors.unexpected);
    } finally {
      setPreviewing(false);
    }
  };

  const handleFinish = (checked: CampaignFormValues) =>
    onSubmit({
      orgUnitId,
      festival: checked.festival,
      name: checked.name?.trim() || null,
      startsOn: checked.startsOn.format('YYYY-MM-DD'),
      plannedOn: checked.plannedOn.format('YYYY-MM-DD'),
      target: targetOf(checked),
      note: checked.note?.trim() || null,
    });

  return (
    <Form<CampaignFormValues>
      form={form}
      layout="vertical"
      initialValues={{
        festival: 'spring_festival',
        startsOn: dayjs(),
        plannedOn: dayjs().add(7, 'day'),
        ethnicityCodes: [],
        minorityOnly: true,
        flags: [],
      }}
      onFinish={handleFinish}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Typography.Paragraph>
        {c.fields.orgUnit}：{orgUnitName}
      </Typography.Paragraph>
      <Form.Item name="festival" label={c.fields.festival} rules={[{ required: true }]}>
        <Select options={festivals.map((f) => ({ value: f, label: t.casework.festivals[f] }))} />
      </Form.Item>
      <Form.Item name="name" label={c.fields.name} rules={[{ max: 100 }]}>
        <Input placeholder={c.namePlaceholder} />
      </Form.Item>
      <Space wrap>
        <Form.Item
          name="startsOn"
          label={c.fields.startsOn}
          tooltip={c.startsOnHint}
          rules={[{ required: true }]}
        >
          <DatePicker inputReadOnly />
        </Form.Item>
        <Form.Item
          name="plannedOn"
          label={c.fields.plannedOn}
          dependencies={['startsOn']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value: Dayjs | undefined) =>
                value && getFieldValue('startsOn') && value.isBefore(getFieldValue('startsOn'), 'day')
                  ? Promise.reject(new Error(c.plannedBeforeStart))
                  : Promise.resolve(),
            }),
          ]}
        >
          <DatePicker inputReadOnly />
        </Form.Item>
      </Space>
      <Form.Item name="ethnicityCodes" label={c.fields.ethnicityCodes}>
        <Select
          mode="multiple"
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={c.ethnicityPlaceholder}
          options={ethnicityOptions}
        />
      </Form.Item>
      <Form.Item name="minorityOnly" valuePropName="checked">
        <Checkbox disabled={(values?.ethnicityCodes ?? []).length > 0}>{c.fields.minorityOnly}</Checkbox>
      </Form.Item>
      <Form.Item name="flags" label={c.fields.flags} extra={c.flagsHint}>
        <Checkbox.Group
          options={targetFlags.map((flag) => ({ value: flag, label: t.registry.flags[flag] }))}
        />
      </Form.Item>
      <Form.Item name="note" label={c.fields.note} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} />
      </Form.Item>
      {previewError && <Alert type="error" showIcon title={previewError} style={{ marginBottom: 12 }} />}
      {current && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={c.previewResult(current.households, current.residents)}
          description={
            current.byAssignee.length > 0 && (
              <Descriptions size="small" column={1} title={c.byAssignee}>
                {current.byAssignee.map((a) => (
                  <Descriptions.Item key={a.id ?? 'none'} label={a.name ?? c.unassigned}>
                    {c.count(a.count)}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            )
          }
        />
      )}
      <Space wrap>
        <Button onClick={() => void handlePreview()} loading={previewing} size="large">
          {c.preview}
        </Button>
        <Button type="primary" htmlType="submit" size="large" disabled={!current} loading={submitting}>
          {c.generate}
        </Button>
        {!current && <Typography.Text type="secondary">{c.previewFirst}</Typography.Text>}
      </Space>
    </Form>
  );
}
