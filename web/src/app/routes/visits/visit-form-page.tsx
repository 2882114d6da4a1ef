import { App, Result, Spin, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { visitPurposes, type VisitPurpose } from '@shiliuzi/shared/casework-visits';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { useCreateVisit, useUpdateVisit, useVisit } from '@/features/visits/api.ts';
import { VisitForm } from '@/features/visits/components/visit-form.tsx';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * Records a visit (`/visits/new`, prefilled with `residentId`, `residentName` and `purpose` when
 * opened from a must-visit) or changes one (`/visits/:id/edit`).
 */
function VisitFormPage() {
  const { id } = useParams<{ id: string }>();
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const navigate = useNavigate();
  const me = useMe();
  const existing = useVisit(id);
  const create = useCreateVisit();
  const update = useUpdateVisit(id ?? '');
  if (!orgUnitId) return null;
  if ((id && existing.isPending) || me.isPending) return <Spin />;
  if (id && existing.isError) return <Result status="warning" title={existing.error.message} />;
  const purpose = params.get('purpose');
  const back = params.get('back');
  const done = (visitId: string) => {
    message.success(id ? t.common.savedOk : t.common.createdOk);
    navigate(back === 'tasks' ? `/my-tasks?org=${orgUnitId}` : `/visits/${visitId}?org=${orgUnitId}`);
  };
  const mutation = id ? update : create;
  return (
    <>
      <Typography.Title level={4}>
        {id ? t.casework.visits.editTitle : t.casework.visits.createTitle}
      </Typography.Title>
      <VisitForm
        orgUnitId={orgUnitId}
        visit={existing.data}
        me={me.data ?? undefined}
        preset={{
          residentId: params.get('residentId') ?? undefined,
          residentName: params.get('residentName') ?? undefined,
          purpose: visitPurposes.includes(purpose as VisitPurpose) ? (purpose as VisitPurpose) : undefined,
        }}
        submitting={mutation.isPending}
        error={mutation.error?.message}
        onSubmit={(input) => {
          if (id) {
            const { orgUnitId: _org, ...patch } = input;
            update.mutate({ ...patch, version: existing.data!.version }, { onSuccess: (v) => done(v.id) });
          } else create.mutate(input, { onSuccess: (v) => done(v.id) });
        }}
        onCancel={() => navigate(-1)}
      />
    </>
  );
}

export { VisitFormPage as Component };
