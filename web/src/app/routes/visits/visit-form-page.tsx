import { App, Result, Spin, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { visitPurposes, type VisitPurpose } from '@shiliuzi/shared/casework-visits';
import { useMe } from '@/features/auth/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import {
  removeVisitPhoto,
  uploadVisitPhoto,
  useCreateVisit,
  useRefreshVisits,
  useUpdateVisit,
  useVisit,
} from '@/features/visits/api.ts';
import type { PhotoChanges } from '@/features/visits/components/visit-photo-picker.tsx';
import { ApiError } from '@/lib/api-client.ts';
import { useState } from 'react';
import { VisitForm } from '@/features/visits/components/visit-form.tsx';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * Records a visit (`/visits/new`, prefilled with `residentId`, `residentName` and `purpose` when
 * opened from a must-visit) or changes one (`/visits/:id/edit`).
 */
function VisitFormPage() {
  const { id } = useParams<{ id: string }>();
  const [params] = useSearchParams();
  const { message, notification } = App.useApp();
  const refresh = useRefreshVisits();
  const [photoProgress, setPhotoProgress] = useState<string | undefined>();
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
  const returnPath = (visitId: string) => {
    if (back === 'tasks') return `/my-tasks?org=${orgUnitId}`;
    if (back?.startsWith('campaign:')) return `/visit-campaigns/${back.slice(9)}?org=${orgUnitId}`;
    return `/visits/${visitId}?org=${orgUnitId}`;
  };
  // The visit is saved first; then the photos taken off and the new ones sent, one at a time.
  const done = async (visitId: string, photos: PhotoChanges) => {
    const ph = t.casework.visits.photos;
    for (const photoId of photos.removedIds) await removeVisitPhoto(visitId, photoId).catch(() => undefined);
    for (const [index, file] of photos.added.entries()) {
      setPhotoProgress(ph.uploading(index + 1, photos.added.length));
      try {
        await uploadVisitPhoto(visitId, file);
      } catch (error) {
        notification.error({
          title: ph.failed(file.name, error instanceof ApiError ? error.message : t.errors.unexpected),
          duration: 0,
        });
      }
    }
    setPhotoProgress(undefined);
    await refresh();
    message.success(id ? t.common.savedOk : t.common.createdOk);
    navigate(returnPath(visitId));
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
          householdId: params.get('householdId') ?? undefined,
          householdLabel: params.get('householdLabel') ?? undefined,
          purpose: visitPurposes.includes(purpose as VisitPurpose) ? (purpose as VisitPurpose) : undefined,
        }}
        submitting={mutation.isPending || photoProgress !== undefined}
        progress={photoProgress}
        error={mutation.error?.message}
        onSubmit={(input, photos) => {
          if (id) {
            const { orgUnitId: _org, ...patch } = input;
            update.mutate(
              { ...patch, version: existing.data!.version },
              { onSuccess: (v) => void done(v.id, photos) },
            );
          } else create.mutate(input, { onSuccess: (v) => void done(v.id, photos) });
        }}
        onCancel={() => navigate(-1)}
      />
    </>
  );
}

export { VisitFormPage as Component };
