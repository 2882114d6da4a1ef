import { Alert, Card, Col, Collapse, Row, Statistic, Table, Typography } from 'antd';
import type { ImportProblem, ImportReport } from '@shiliuzi/shared/imports';
import { t } from '@/locales/zh-CN/index.ts';

const problemColumns = [
  { key: 'sheet', title: t.imports.columns.sheet, dataIndex: 'sheet', width: 110 },
  { key: 'row', title: t.imports.columns.row, dataIndex: 'row', width: 70 },
  { key: 'column', title: t.imports.columns.column, dataIndex: 'column', width: 130 },
  { key: 'value', title: t.imports.columns.value, dataIndex: 'value', width: 180, ellipsis: true },
  { key: 'reason', title: t.imports.columns.reason, dataIndex: 'reason' },
];

function ProblemTable({ rows }: { rows: ImportProblem[] }) {
  return (
    <Table<ImportProblem>
      size="small"
      rowKey={(p) => `${p.sheet}-${p.row}-${p.code}`}
      columns={problemColumns}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 'max-content' }}
    />
  );
}

/** The counts of an import (or its dry run) and every rejected, flagged and merged row. */
export function ImportReportView({ report }: { report: ImportReport }) {
  const c = t.imports.counts;
  const cards = [
    { key: 'rows', title: c.rows, value: report.rows },
    { key: 'created', title: c.created, value: report.created },
    { key: 'updated', title: c.updated, value: report.updated },
    { key: 'merged', title: c.merged, value: report.merged },
    { key: 'rejected', title: c.rejected, value: report.rejected.length },
    { key: 'flagged', title: c.flagged, value: report.flagged.length },
  ];
  return (
    <>
      {report.seenBefore && (
        <Alert type="info" showIcon title={t.imports.seenBefore} style={{ marginBottom: 12 }} />
      )}
      <Row gutter={[12, 12]}>
        {cards.map((card) => (
          <Col key={card.key} xs={12} sm={8} lg={4}>
            <Card size="small" data-testid={`import-${card.key}`}>
              <Statistic title={card.title} value={card.value} />
            </Card>
          </Col>
        ))}
      </Row>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t.imports.invariant(report.rows, report.accepted, report.merged, report.rejected.length)}
        {report.blankRows > 0 ? `；${c.blankRows} ${report.blankRows}` : ''}
      </Typography.Paragraph>
      <Typography.Paragraph>
        {t.imports.createdPlaces}：{t.imports.createdSummary(report.createdPlaces)}
      </Typography.Paragraph>
      <Collapse
        defaultActiveKey={report.rejected.length > 0 ? ['rejected'] : []}
        items={[
          {
            key: 'rejected',
            label: `${t.imports.rejectedRows}（${report.rejected.length}）`,
            children: <ProblemTable rows={report.rejected} />,
          },
          {
            key: 'flagged',
            label: `${t.imports.flaggedRows}（${report.flagged.length}）`,
            children: <ProblemTable rows={report.flagged} />,
          },
          {
            key: 'merged',
            label: `${t.imports.mergedRows}（${report.mergedRows.length}）`,
            children: (
              <Table
                size="small"
                rowKey={(m) => `${m.sheet}-${m.row}`}
                dataSource={report.mergedRows}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  { key: 'sheet', title: t.imports.columns.sheet, dataIndex: 'sheet' },
                  { key: 'row', title: t.imports.columns.row, dataIndex: 'row' },
                  { key: 'sameAs', title: t.imports.columns.sameAs, dataIndex: 'sameAs' },
                ]}
              />
            ),
          },
        ]}
      />
    </>
  );
}
