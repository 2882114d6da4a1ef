import { App, Button, Popconfirm } from 'antd';
import { t } from '@/locales/zh-CN/index.ts';

interface DeleteOrRestoreProps {
  /** Whether the record is deleted (soft): then it can be restored, else deleted. */
  deleted: boolean;
  /** Deletes the record at the version shown; rejects with the server's Chinese message. */
  onDelete: () => Promise<unknown>;
  onRestore: () => Promise<unknown>;
  /** After a delete, e.g. back to the list. */
  onDeleted?: () => void;
  /** The question asked before deleting; 确定删除吗 unless given. */
  confirmTitle?: string;
}

/**
 * The delete button of a record's page, asking first, or its restore button once deleted. Either
 * says what happened in a message: done, or the server's reason (a stale version, say).
 */
export function DeleteOrRestore({
  deleted,
  onDelete,
  onRestore,
  onDeleted,
  confirmTitle,
}: DeleteOrRestoreProps) {
  const { message } = App.useApp();
  const run = (work: () => Promise<unknown>, done: string, after?: () => void) =>
    work().then(
      () => {
        message.success(done);
        after?.();
      },
      (error: Error) => {
        message.error(error.message);
      },
    );
  if (deleted) return <Button onClick={() => run(onRestore, t.common.restoredOk)}>{t.common.restore}</Button>;
  return (
    <Popconfirm
      title={confirmTitle ?? t.common.confirmDelete}
      okText={t.common.delete}
      okButtonProps={{ danger: true }}
      cancelText={t.common.cancel}
      onConfirm={() => run(onDelete, t.common.deletedOk, onDeleted)}
    >
      <Button danger>{t.common.delete}</Button>
    </Popconfirm>
  );
}
