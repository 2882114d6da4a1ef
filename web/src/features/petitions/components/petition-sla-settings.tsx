import { Alert, App, Button, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useEffect } from 'react';
import {
  petitionChannels,
  petitionSlaInput,
  type PetitionChannel,
  type PetitionSla,
} from '@shiliuzi/shared/casework-petitions';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { usePetitionSla, useSetPetitionSla } from '@/features/petitions/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

const s = t.petitions.slaSettings;

/** Why typed days cannot be saved (whole days, 1–365, as the server checks), or undefined. */
export function slaDaysError(text: string | undefined): string | undefined {
  const value = (text ?? '').trim();
  if (value === '') return s.required;
  if (!/^\d+$/.test(value)) return s.wholeDays;
  return petitionSlaInput.shape.days.safeParse(Number(value)).success ? undefined : s.range;
}

type Values = { days: Record<PetitionChannel, string> };

function formValues(sla: PetitionSla | undefined): Values {
  const days = {} as Record<PetitionChannel, string>;
  for (const channel of petitionChannels) days[channel] = String(sla?.days[channel] ?? '');
  return { days };
}

export interface PetitionSlaSettingsProps {
  orgUnitId: string;
  /** May change the deadlines (the roles that record petitions); others only read them. */
  canEdit: boolean;
}

/**
 * The answer deadline of each channel for one org unit: set on the unit itself or inherited from
 * above (or the default), edited a channel at a time with the days checked as they are typed.
 */
export function PetitionSlaSettings({ orgUnitId, canEdit }: PetitionSlaSettingsProps) {
  const { message } = App.useApp();
  const org = useOrgUnit(orgUnitId);
  const sla = usePetitionSla(orgUnitId);
  const save = useSetPetitionSla();
  const [form] = Form.useForm<Values>();
  const typed = Form.useWatch('days', form);
  const channels = t.petitions.channels;

  useEffect(() => {
    form.setFieldsValue(formValues(sla.data));
  }, [form, sla.data]);

  const handleSave = async (channel: PetitionChannel) => {
    const values = await form.validateFields([['days', channel]]).catch(() => undefined);
    if (!values) return;
    const days = Number(values.days[channel].trim());
    save.mutate(
      { orgUnitId, channel, days },
      { onSuccess: () => message.success(s.saved(channels[channel], days)) },
    );
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={5}>{s.title(org.data?.name ?? '')}</Typography.Title>
      <Typography.Paragraph type="secondary">{s.intro}</Typography.Paragraph>
      <Alert type="info" showIcon title={s.appliesFrom} />
      {!canEdit && <Alert type="warning" showIcon title={s.readOnly} />}
      {save.error && <Alert type="error" showIcon title={save.error.message} />}
      <Form form={form} component={false}>
        <Table<PetitionChannel>
          rowKey={(channel) => channel}
          size="middle"
          pagination={false}
          loading={sla.isFetching}
          dataSource={[...petitionChannels]}
          columns={[
            { key: 'channel', title: s.channel, render: (_, channel) => channels[channel] },
            {
              key: 'days',
              title: s.days,
              render: (_, channel) => (
                <Form.Item
                  name={['days', channel]}
                  rules={[
                    {
                      validator: async (_rule, value: string | undefined) => {
                        const error = slaDaysError(value);
                        if (error) throw new Error(error);
                      },
                    },
                  ]}
                  style={{ marginBottom: 0 }}
                >
                  <Input
                    aria-label={s.daysLabel(channels[channel])}
                    inputMode="numeric"
                    disabled={!canEdit}
                    style={{ maxWidth: 120 }}
                  />
                </Form.Item>
              ),
            },
            {
              key: 'source',
              title: s.source,
              render: (_, channel) =>
                sla.data?.own.includes(channel) ? <Tag color="blue">{s.own}</Tag> : <Tag>{s.inherited}</Tag>,
            },
            ...(canEdit
              ? [
                  {
                    key: 'save',
                    title: '',
                    render: (_: unknown, channel: PetitionChannel) => {
                      const value = typed?.[channel];
                      const unchanged = value?.trim() === String(sla.data?.days[channel] ?? '');
                      return (
                        <Button
                          disabled={unchanged || slaDaysError(value) !== undefined}
                          loading={save.isPending && save.variables?.channel === channel}
                          onClick={() => void handleSave(channel)}
                        >
                          {s.save}
                        </Button>
                      );
                    },
                  },
                ]
              : []),
          ]}
        />
      </Form>
    </Space>
  );
}
