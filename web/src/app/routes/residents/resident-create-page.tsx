import { App, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useCreateResident } from '@/features/residents/api.ts';
import { ResidentForm } from '@/features/residents/components/resident-form.tsx';
import { t } from '@/locales/zh-CN/index.ts';

function ResidentCreatePage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const navigate = useNavigate();
  const create = useCreateResident();
  if (!orgUnitId) return null;
  return (
    <>
      <Typography.Title level={4}>{t.residents.createTitle}</Typography.Title>
      <ResidentForm
        orgUnitId={orgUnitId}
        submitting={create.isPending}
        error={create.error?.message}
        onSubmit={(input) =>
          create.mutate(input, {
            onSuccess: (resident) => {
              message.success(t.common.createdOk);
              navigate(`/residents/${resident.id}?org=${orgUnitId}`);
            },
          })
        }
        onCancel={() => navigate(`/residents?org=${orgUnitId}`)}
      />
    </>
  );
}

export { ResidentCreatePage as Component };
