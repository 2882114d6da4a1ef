import { Button, Form, Input, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  importFields,
  registerKinds,
  type ColumnLayout,
  type ImportField,
  type SheetLayout,
} from '@shiliuzi/shared/imports';
import { importFieldLabels, registerKindLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import { t } from '@/locales/zh-CN/index.ts';

const NOT_IMPORTED = '__none__';
const fieldOptions = [
  { value: NOT_IMPORTED, label: t.imports.mapping.notImported },
  ...importFields.map((field) => ({ value: field, label: importFieldLabels[field] })),
];
const registerOptions = registerKinds.map((kind) => ({ value: kind, label: registerKindLabels[kind] }));

interface ColumnMappingEditorProps {
  layouts: SheetLayout[];
  busy: boolean;
  /** Runs the dry run again with the corrected layouts. */
  onApply: (layouts: SheetLayout[]) => void;
  /** Saves one sheet's mapping as a template under a name. */
  onSaveTemplate: (layout: SheetLayout, name: string) => Promise<void>;
}

/**
 * How each sheet was read — which row is the header and what each column was taken for — with a
 * select per column to correct it, a preview again with the correction, and a save as template.
 */
export function ColumnMappingEditor({ layouts, busy, onApply, onSaveTemplate }: ColumnMappingEditorProps) {
  const [edited, setEdited] = useState(layouts);
  const [active, setActive] = useState(layouts[0]?.sheet);
  const [saving, setSaving] = useState<SheetLayout | null>(null);
  const [form] = Form.useForm<{ name: string }>();
  const changed = JSON.stringify(edited) !== JSON.stringify(layouts);

  const update = (sheet: string, change: (layout: SheetLayout) => SheetLayout) =>
    setEdited((all) => all.map((layout) => (layout.sheet === sheet ? change(layout) : layout)));

  const setField = (sheet: string, index: number, value: string) =>
    update(sheet, (layout) => ({
      ...layout,
      columns: layout.columns.map((column) =>
        column.index === index
          ? {
              ...column,
              field: value === NOT_IMPORTED ? null : (value as ImportField),
              matchedBy: 'template' as const,
            }
          : column,
      ),
    }));

  const columnsOf = (layout: SheetLayout) => [
    { key: 'letter', title: t.imports.mapping.column, dataIndex: 'letter', width: 60 },
    { key: 'header', title: t.imports.mapping.header, dataIndex: 'header', width: 180 },
    {
      key: 'field',
      title: t.imports.mapping.field,
      width: 220,
      render: (_: unknown, column: ColumnLayout) => (
        <Select
          aria-label={t.imports.mapping.fieldOf(column.header)}
          size="small"
          style={{ width: 200 }}
          showSearch={{ optionFilterProp: 'label' }}
          value={column.field ?? NOT_IMPORTED}
          options={fieldOptions}
          onChange={(value: string) => setField(layout.sheet, column.index, value)}
          disabled={busy}
        />
      ),
    },
    {
      key: 'matchedBy',
      title: t.imports.mapping.matchedBy,
      width: 110,
      render: (_: unknown, column: ColumnLayout) =>
        column.field === null ? (
          <Tag color="warning">{t.imports.mapping.unmapped}</Tag>
        ) : (
          <Tag color={column.matchedBy === 'template' ? 'blue' : undefined}>
            {t.imports.mapping.matchedByLabels[column.matchedBy]}
          </Tag>
        ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t.imports.mapping.hint}</Typography.Paragraph>
      <Tabs
        activeKey={active}
        onChange={setActive}
        items={edited.map((layout) => ({
          key: layout.sheet,
          label: layout.sheet,
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <Space wrap>
                <Typography.Text>{t.imports.mapping.headerRows(layout.headerRows)}</Typography.Text>
                <Select
                  aria-label={t.imports.mapping.register}
                  size="small"
                  style={{ width: 160 }}
                  value={layout.register}
                  options={registerOptions}
                  onChange={(register) => update(layout.sheet, (l) => ({ ...l, register }))}
                  disabled={busy}
                />
              </Space>
              <Table<ColumnLayout>
                size="small"
                rowKey="index"
                columns={columnsOf(layout)}
                dataSource={layout.columns}
                pagination={false}
                scroll={{ x: 'max-content', y: 360 }}
              />
              <Space wrap>
                <Button type="primary" disabled={!changed || busy} onClick={() => onApply(edited)}>
                  {t.imports.mapping.apply}
                </Button>
                <Button disabled={!changed || busy} onClick={() => setEdited(layouts)}>
                  {t.imports.mapping.reset}
                </Button>
                <Button disabled={busy} onClick={() => setSaving(layout)}>
                  {t.imports.mapping.saveTemplate}
                </Button>
              </Space>
            </Space>
          ),
        }))}
      />
      <Modal
        open={saving !== null}
        title={t.imports.mapping.saveTemplate}
        okText={t.imports.mapping.save}
        destroyOnHidden
        onCancel={() => setSaving(null)}
        onOk={() => form.submit()}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async ({ name }) => {
            await onSaveTemplate(saving!, name.trim());
            setSaving(null);
          }}
        >
          <Form.Item
            name="name"
            label={t.imports.mapping.templateName}
            extra={t.imports.mapping.templateNameHint}
            rules={[
              { required: true, whitespace: true, message: t.imports.mapping.templateNameRequired },
              { max: 50, message: t.imports.mapping.templateNameTooLong },
            ]}
          >
            <Input autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
