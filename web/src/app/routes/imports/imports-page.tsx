import { DeleteOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Popconfirm,
  Progress,
  Select,
  Space,
  Spin,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useState } from 'react';
import type { SheetLayout } from '@shiliuzi/shared/imports';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  deleteImportTemplate,
  saveImportTemplate,
  startImport,
  uploadRegister,
  useImportJob,
  useImportTemplates,
  type Upload as UploadInfo,
} from '@/features/imports/api.ts';
import { ColumnMappingEditor } from '@/features/imports/components/column-mapping-editor.tsx';
import { ExportPanel } from '@/features/imports/components/export-panel.tsx';
import { ImportReportView } from '@/features/imports/components/import-report-view.tsx';
import { ApiError } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';

const importTargets = new Set(['community', 'village', 'grid', 'unit']);

/** 导入导出: upload a register, see the dry run row by row, then commit it in one go. */
function ImportsPage() {
  const queryClient = useQueryClient();
  const { orgUnitId } = useSelectedOrg();
  const org = useOrgUnit(orgUnitId);
  const [upload, setUpload] = useState<UploadInfo | null>(null);
  const [uploadShare, setUploadShare] = useState<number | null>(null);
  const [hold, setHold] = useState(false);
  const [jobId, setJobId] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  // The mapping the last dry run used: a template chosen before the upload, or the user's corrections.
  const [templateId, setTemplateId] = useState<string | undefined>();
  const [layouts, setLayouts] = useState<SheetLayout[] | undefined>();
  const templates = useImportTemplates(orgUnitId);
  const { message } = App.useApp();
  const job = useImportJob(jobId);
  const running = job.data?.state === 'running';
  const canTarget = org.data !== undefined && importTargets.has(org.data.type);

  const run = async (dryRun: boolean, uploaded = upload, corrected = layouts) => {
    if (!uploaded || !orgUnitId) return;
    setError(null);
    try {
      const started = await startImport({
        uploadId: uploaded.id,
        orgUnitId,
        dryRun,
        holdInvalidIdNumbers: hold,
        ...(corrected ? { layouts: corrected } : {}),
        ...(templateId ? { templateId } : {}),
      });
      setJobId(started.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t.imports.failed);
    }
  };

  const handleFile = async (file: File) => {
    setError(null);
    setJobId(undefined);
    setLayouts(undefined);
    setUploadShare(0);
    try {
      const uploaded = await uploadRegister(file, setUploadShare);
      setUpload(uploaded);
      await run(true, uploaded, undefined);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t.imports.failed);
    } finally {
      setUploadShare(null);
    }
  };

  const report = job.data?.report ?? null;
  const committed = job.data?.state === 'done' && !job.data.dryRun;
  // A committed import changes lists and figures everywhere.
  useEffect(() => {
    if (committed) {
      for (const key of ['residents', 'households', 'places', 'statistics', 'org-units'])
        void queryClient.invalidateQueries({ queryKey: [key] });
    }
  }, [committed, queryClient]);

  return (
    <>
      <Typography.Title level={4}>{t.imports.title}</Typography.Title>
      <Card size="small" title={t.imports.importTitle}>
        <Typography.Paragraph type="secondary">{t.imports.importHint}</Typography.Paragraph>
        {org.data && (
          <Typography.Paragraph strong={canTarget} type={canTarget ? undefined : 'warning'}>
            {canTarget ? t.imports.target(org.data.name) : t.imports.targetHint}
          </Typography.Paragraph>
        )}
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text>{t.imports.template}</Typography.Text>
            <Select
              aria-label={t.imports.template}
              style={{ minWidth: 200 }}
              allowClear
              placeholder={t.imports.templateNone}
              value={templateId}
              onChange={(id?: string) => setTemplateId(id)}
              options={(templates.data ?? []).map((template) => ({
                value: template.id,
                label: template.name,
              }))}
              disabled={running}
            />
            {templateId && (
              <Popconfirm
                title={t.imports.templateDeleteConfirm(
                  templates.data?.find((template) => template.id === templateId)?.name ?? '',
                )}
                onConfirm={async () => {
                  await deleteImportTemplate(templateId);
                  setTemplateId(undefined);
                  await templates.refetch();
                  void message.success(t.imports.templateDeleted);
                }}
              >
                <Button icon={<DeleteOutlined />} aria-label={t.imports.templateDelete} />
              </Popconfirm>
            )}
          </Space>
          <Typography.Text type="secondary">{t.imports.templateHint}</Typography.Text>
          <Checkbox checked={hold} onChange={(e) => setHold(e.target.checked)} disabled={running}>
            {t.imports.holdInvalid}
          </Checkbox>
          <Upload.Dragger
            accept=".xlsx,.xls,.csv"
            showUploadList={false}
            disabled={!canTarget || running || uploadShare !== null}
            beforeUpload={(file) => {
              void handleFile(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t.imports.chooseFile}</p>
          </Upload.Dragger>
          {uploadShare !== null && <Progress percent={Math.round(uploadShare * 100)} status="active" />}
          {running && (
            <Typography.Text>
              <Spin size="small" style={{ marginInlineEnd: 8 }} />
              {job.data!.dryRun
                ? t.imports.previewing(job.data!.rowsDone)
                : t.imports.committing(job.data!.rowsDone)}
            </Typography.Text>
          )}
          {(error ?? job.data?.error) && (
            <Alert type="error" showIcon title={error ?? job.data?.error?.message} />
          )}
        </Space>
      </Card>
      {report && (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={job.data?.dryRun ? t.imports.dryRunTitle : t.imports.doneTitle}
          extra={
            job.data?.dryRun ? (
              <Button
                type="primary"
                onClick={() => void run(false)}
                disabled={report.rows === report.rejected.length}
              >
                {t.imports.commit}
              </Button>
            ) : (
              <Button
                onClick={() => {
                  setUpload(null);
                  setJobId(undefined);
                  setLayouts(undefined);
                }}
              >
                {t.imports.again}
              </Button>
            )
          }
        >
          <ImportReportView report={report} />
        </Card>
      )}
      {report && job.data?.dryRun && report.layouts.length > 0 && orgUnitId && (
        <Card size="small" style={{ marginTop: 16 }} title={t.imports.mapping.title}>
          <ColumnMappingEditor
            key={jobId}
            layouts={report.layouts}
            busy={running}
            onApply={(corrected) => {
              setLayouts(corrected);
              void run(true, upload, corrected);
            }}
            onSaveTemplate={async (layout, name) => {
              await saveImportTemplate({ orgUnitId, name, layout });
              await templates.refetch();
              void message.success(t.imports.templateSaved(name));
            }}
          />
        </Card>
      )}
      {orgUnitId && <ExportPanel orgUnitId={orgUnitId} />}
    </>
  );
}

export { ImportsPage as Component };
