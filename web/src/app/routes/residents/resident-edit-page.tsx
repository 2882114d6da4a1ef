import { App, Result, Spin, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useResident, useUpdateResident } from '@/features/residents/api.ts';
import { ResidentForm } from '@/features/residents/components/resident-form.tsx';
import { t } from '@/locales/zh-CN/index.ts';

function ResidentEditPage() {
  const { message } = App.useApp();
  const { id } = useParams<{ id: string }>();
  const { orgUnitId } = useSelectedOrg();
  const navigate = useNavigate();
  const resident = useResident(id);
  const update = useUpdateResident(id!);
  if (resident.isPending || !orgUnitId) return <Spin />;
  if (resident.isError) return <Result status="warning" title={resident.error.message} />;
  const back = () => navigate(`/residents/${id}?org=${orgUnitId}`);
  return (
    <>
      <Typography.Title level={4}>
        {t.residents.editTitle}：{resident.data.name}
      </Typography.Title>
      <ResidentForm
        key={resident.data.version}
        orgUnitId={orgUnitId}
        resident={resident.data}
        submitting={update.isPending}
        error={update.error?.message}
        onSubmit={(input) =>
          update.mutate(
            { ...input, version: resident.data.version },
            {
              onSuccess: () => {
                message.success(t.common.savedOk);
                back();
              },
            },
          )
        }
        onCancel={back}
      />
    </>
  );
}

export { ResidentEditPage as Component };
