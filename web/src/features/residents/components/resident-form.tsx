import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ethnicGroups } from '@shiliuzi/shared/ethnicity';
import { checkIdNumber } from '@shiliuzi/shared/id-number';
import { isValidPhone } from '@shiliuzi/shared/phone';
import { describeOrigin } from '@shiliuzi/shared/region';
import {
  floatingReasons,
  genders,
  householdRelations,
  residenceTypes,
  residentFlags,
  type ResidentFlag,
} from '@shiliuzi/shared/registry';
import type { Resident, ResidentInput } from '@shiliuzi/shared/residents';
import { useHouseholds } from '@/features/households/api.ts';
import { useOrgChildren, useOrgUnit } from '@/features/org-units/api.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { personalNumbersWarning } from '@/lib/form-rules.ts';

/** What the form holds; dates are dayjs values until submitted. */
export interface ResidentFormValues {
  orgUnitId: string;
  name: string;
  idNumber?: string;
  gender?: 'male' | 'female';
  birthDate?: Dayjs | null;
  ethnicityCode?: string;
  originRegionCode?: string | null;
  phone?: string;
  residenceType: 'permanent' | 'registered' | 'floating';
  householdId?: string | null;
  relationToHead?: string | null;
  flags: ResidentFlag[];
  languages: string[];
  movedInOn?: Dayjs | null;
  movedOutOn?: Dayjs | null;
  note?: string | null;
  floating?: {
    arrivalDate?: Dayjs | null;
    originAddress?: string | null;
    reason?: string | null;
    expectedStayMonths?: number | null;
    stall?: string | null;
    landlordName?: string | null;
    landlordPhone?: string | null;
  };
}

export interface ResidentFormProps {
  /** The org unit selected in the shell: the resident is filed under it or one of its children. */
  orgUnitId: string;
  /**
   * The record being edited; its ID number, phones and origin address arrive masked and are only sent
   * when retyped.
   */
  resident?: Resident | undefined;
  submitting: boolean;
  /** Server refusal to show above the form. */
  error?: string | undefined;
  onSubmit: (input: ResidentInput) => void;
  onCancel: () => void;
}

const date = (value: Dayjs | null | undefined) => (value ? value.format('YYYY-MM-DD') : null);
const day = (value: string | null | undefined) => (value ? dayjs(value) : null);
const blank = (value: string | null | undefined) => (value && value.trim() !== '' ? value.trim() : null);

function toInput(values: ResidentFormValues, editing: boolean): ResidentInput {
  const floating = values.residenceType === 'floating' ? values.floating : undefined;
  const input: ResidentInput = {
    orgUnitId: values.orgUnitId,
    name: values.name.trim(),
    ethnicityCode: values.ethnicityCode!,
    residenceType: values.residenceType,
    birthDate: date(values.birthDate),
    originRegionCode: values.originRegionCode ?? null,
    householdId: values.householdId ?? null,
    relationToHead: (values.relationToHead ?? null) as ResidentInput['relationToHead'],
    flags: Object.fromEntries(residentFlags.map((f) => [f, values.flags.includes(f)])),
    languages: values.languages,
    movedInOn: date(values.movedInOn),
    movedOutOn: date(values.movedOutOn),
    note: blank(values.note),
    floating: floating
      ? {
          arrivalDate: date(floating.arrivalDate),
          // Masked on the edit form like the phones: only a retyped address is sent.
          ...(blank(floating.originAddress) !== null || !editing
            ? { originAddress: blank(floating.originAddress) }
            : {}),
          reason: (floating.reason ?? null) as 'work' | null,
          expectedStayMonths: floating.expectedStayMonths ?? null,
          stall: blank(floating.stall),
          landlordName: blank(floating.landlordName),
          // Masked on the edit form like the resident's own phone: only a retyped number is sent.
          ...(blank(floating.landlordPhone) !== null || !editing
            ? { landlordPhone: blank(floating.landlordPhone) }
            : {}),
        }
      : null,
  };
  if (values.gender) input.gender = values.gender;
  // Masked values are never sent back: an empty box on the edit form keeps what is stored.
  const idNumber = blank(values.idNumber);
  if (idNumber !== null || !editing) input.idNumber = idNumber;
  const phone = blank(values.phone);
  if (phone !== null || !editing) input.phone = phone;
  return input;
}

function initialValues(orgUnitId: string, resident: Resident | undefined): Partial<ResidentFormValues> {
  if (!resident) return { orgUnitId, residenceType: 'permanent', flags: [], languages: [] };
  return {
    orgUnitId: resident.orgUnitId,
    name: resident.name,
    gender: resident.gender,
    birthDate: day(resident.birthDate),
    ethnicityCode: resident.ethnicityCode,
    originRegionCode: resident.originRegionCode,
    residenceType: resident.residenceType,
    householdId: resident.householdId,
    relationToHead: resident.relationToHead,
    flags: residentFlags.filter((f) => resident.flags[f]),
    languages: resident.languages,
    movedInOn: day(resident.movedInOn),
    movedOutOn: day(resident.movedOutOn),
    note: resident.note,
    floating: resident.floating
      ? {
          ...resident.floating,
          arrivalDate: day(resident.floating.arrivalDate),
          originAddress: null,
          landlordPhone: null,
        }
      : {},
  };
}

/** An optional phone: empty, or a mobile or landline number. */
const phoneRule = {
  validator: async (_rule: unknown, value: string | undefined) => {
    if (value && value.trim() !== '' && !isValidPhone(value)) throw new Error(t.residents.phoneInvalid);
  },
};

const ethnicityOptions = ethnicGroups.map((g) => ({ value: g.code, label: g.name }));

/**
 * Create and edit form of a resident. It checks as you type: a valid ID number fills birth date,
 * gender and origin (they then follow the number), a wrong check digit is named at once.
 */
export function ResidentForm({
  orgUnitId,
  resident,
  submitting,
  error,
  onSubmit,
  onCancel,
}: ResidentFormProps) {
  const [form] = Form.useForm<ResidentFormValues>();
  const f = t.residents.fields;
  const editing = resident !== undefined;
  const [derived, setDerived] = useState<string | null>(() =>
    resident?.idNumber && resident.birthDate ? t.residents.derivedFromId : null,
  );
  const [originName, setOriginName] = useState<string | null>(resident?.originRegionName ?? null);
  const residenceType = Form.useWatch('residenceType', form);
  const [householdSearch, setHouseholdSearch] = useState('');

  const org = useOrgUnit(orgUnitId);
  const children = useOrgChildren(orgUnitId);
  const orgOptions = [
    ...(org.data ? [{ value: org.data.id, label: org.data.name }] : []),
    ...(children.data ?? []).map((unit) => ({
      value: unit.id,
      label: `${org.data?.name ?? ''} / ${unit.name}`,
    })),
  ];
  if (resident && !orgOptions.some((o) => o.value === resident.orgUnitId)) {
    orgOptions.push({ value: resident.orgUnitId, label: resident.orgUnitId });
  }
  const households = useHouseholds({ orgUnitId, q: householdSearch || undefined, pageSize: 20 });
  const householdOptions = (households.data?.items ?? []).map((h) => ({
    value: h.id,
    label:
      [h.householdNumber, h.headName, h.address ?? h.dwellingAddress].filter(Boolean).join(' · ') ||
      h.id.slice(0, 8),
  }));

  const handleIdNumberChange = (raw: string) => {
    const check = checkIdNumber(raw);
    if (!check.ok) {
      setDerived(null);
      return;
    }
    const origin = describeOrigin(check.regionCode);
    form.setFieldsValue({
      birthDate: dayjs(check.birthDate),
      gender: check.gender,
      originRegionCode: origin?.code ?? null,
    });
    void form.validateFields(['birthDate', 'gender']);
    setOriginName(origin?.fullName ?? t.residents.unknownRegion);
    setDerived(
      t.residents.filled(check.birthDate, t.registry.genders[check.gender]!) +
        (check.converted15 ? `；${t.residents.converted15}` : ''),
    );
  };
  const idFilled = derived !== null && derived !== t.residents.derivedFromId;

  return (
    <Form<ResidentFormValues>
      form={form}
      layout="vertical"
      initialValues={initialValues(orgUnitId, resident)}
      onFinish={(values) => onSubmit(toInput(values, editing))}
      scrollToFirstError
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Card title={t.residents.basicSection} size="small" style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="orgUnitId"
              label={f.orgUnit}
              rules={[{ required: true, message: t.residents.orgRequired }]}
            >
              <Select options={orgOptions} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={f.name}
              rules={[{ required: true, whitespace: true, message: t.residents.nameRequired }, { max: 50 }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="idNumber"
              label={f.idNumber}
              extra={
                idFilled ? (
                  <Typography.Text type="success">{derived}</Typography.Text>
                ) : (
                  t.residents.idNumberHint
                )
              }
              rules={[
                {
                  validator: async (_rule, value: string | undefined) => {
                    if (!value || value.trim() === '') return;
                    const check = checkIdNumber(value);
                    if (!check.ok) throw new Error(t.residents.idNumberProblems[check.problem]);
                  },
                },
              ]}
            >
              <Input
                autoComplete="off"
                placeholder={resident?.idNumber ?? undefined}
                maxLength={22}
                onChange={(event) => handleIdNumberChange(event.target.value)}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="ethnicityCode"
              label={f.ethnicity}
              rules={[{ required: true, message: t.residents.ethnicityRequired }]}
            >
              <Select showSearch={{ optionFilterProp: 'label' }} options={ethnicityOptions} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item
              name="gender"
              label={f.gender}
              rules={[{ required: true, message: t.residents.genderRequired }]}
            >
              <Radio.Group
                disabled={idFilled}
                options={genders.map((g) => ({ value: g, label: t.registry.genders[g] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="birthDate" label={f.birthDate}>
              <DatePicker disabled={idFilled} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label={f.originRegion}>
              <Input
                value={originName ?? ''}
                readOnly
                aria-label={f.originRegion}
                placeholder={t.residents.derivedFromId}
              />
            </Form.Item>
            <Form.Item name="originRegionCode" hidden>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={f.phone} rules={[phoneRule]}>
              <Input autoComplete="off" inputMode="tel" placeholder={resident?.phone ?? undefined} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="residenceType" label={f.residenceType}>
              <Radio.Group
                optionType="button"
                options={residenceTypes.map((r) => ({ value: r, label: t.registry.residenceTypes[r] }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="flags" label={f.flags}>
              <Checkbox.Group
                options={residentFlags.map((flag) => ({ value: flag, label: t.registry.flags[flag] }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title={t.residents.householdSection} size="small" style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="householdId" label={f.household}>
              <Select
                allowClear
                showSearch={{ filterOption: false, onSearch: setHouseholdSearch }}
                placeholder={t.residents.selectHousehold}
                options={householdOptions}
                loading={households.isFetching}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="relationToHead" label={f.relationToHead}>
              <Select
                allowClear
                options={householdRelations.map((r) => ({
                  value: r,
                  label: t.registry.householdRelations[r],
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      {residenceType === 'floating' && (
        <Card title={t.residents.floatingSection} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              <Form.Item name={['floating', 'arrivalDate']} label={f.arrivalDate}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['floating', 'reason']} label={f.reason}>
                <Select
                  allowClear
                  options={floatingReasons.map((r) => ({ value: r, label: t.registry.floatingReasons[r] }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name={['floating', 'expectedStayMonths']} label={f.expectedStayMonths}>
                <InputNumber min={0} max={600} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['floating', 'originAddress']} label={f.originAddress}>
                <Input placeholder={resident?.floating?.originAddress ?? undefined} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['floating', 'stall']} label={f.stall}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['floating', 'landlordName']} label={f.landlordName}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name={['floating', 'landlordPhone']} label={f.landlordPhone} rules={[phoneRule]}>
                <Input inputMode="tel" />
              </Form.Item>
            </Col>
          </Row>
        </Card>
      )}
      <Card title={t.residents.otherSection} size="small" style={{ marginBottom: 16 }}>
        <Row gutter={16}>
          <Col xs={12} md={6}>
            <Form.Item name="movedInOn" label={f.movedInOn}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="movedOutOn" label={f.movedOutOn}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="languages" label={f.languages}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} open={false} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="note" label={f.note} rules={[personalNumbersWarning]}>
              {/* A fixed height: autoSize measures with an inline style attribute, which the CSP refuses. */}
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {t.common.save}
        </Button>
        <Button onClick={onCancel}>{t.common.cancel}</Button>
      </Space>
    </Form>
  );
}
