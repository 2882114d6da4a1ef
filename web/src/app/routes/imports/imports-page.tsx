import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Progress, Space, Spin, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  startImport,
  uploadRegister,
  useImportJob,
  type Upload as UploadInfo,
} from '@/features/imports/api.ts';
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
  const job = useImportJob(jobId);
  const running = job.data?.state === 'running';
  const canTarget = org.data !== undefined && importTargets.has(org.data.type);

  const run = async (dryRun: boolean, uploaded = upload) => {
    if (!uploaded || !orgUnitId) return;
    setError(null);
    try {
      const started = await startImport({
        uploadId: uploaded.id,
        orgUnitId,
        dryRun,
        holdInvalidIdNumbers: hold,
      });
      setJobId(started.id);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : t.imports.failed);
    }
  };

  const handleFile = async (file: File) => {
    setError(null);
    setJobId(undefined);
    setUploadShare(0);
    try {
      const uploaded = await uploadRegister(file, setUploadShare);
      setUpload(uploaded);
      await run(true, uploaded);
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
      {orgUnitId && <ExportPanel orgUnitId={orgUnitId} />}
    </>
  );
}

export { ImportsPage as Component };
