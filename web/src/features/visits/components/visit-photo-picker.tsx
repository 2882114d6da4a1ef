import { CameraOutlined, CloseOutlined, PictureOutlined } from '@ant-design/icons';
import { Button, Space, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { MAX_VISIT_PHOTOS, type VisitPhoto } from '@shiliuzi/shared/casework-visits';
import { t } from '@/locales/zh-CN/index.ts';
import styles from './visit-photos.module.css';

/** The photos a visit will have when the form is saved: those kept, and the new ones picked. */
export interface PhotoChanges {
  added: File[];
  removedIds: string[];
}

export interface VisitPhotoPickerProps {
  visitId?: string | undefined;
  /** Photos the visit already has. */
  existing: VisitPhoto[];
  value: PhotoChanges;
  onChange: (value: PhotoChanges) => void;
}

/** The address a stored photo is shown from (the API checks the scope and records the read). */
export const photoUrl = (visitId: string, photoId: string) => `/api/visits/${visitId}/photos/${photoId}`;

/**
 * Picks the photos of a visit on a phone: 拍照 opens the camera, 从相册选择 the gallery (several
 * at once); each shows as a preview with a button to take it off again. Nothing is sent before the
 * form is saved.
 */
export function VisitPhotoPicker({ visitId, existing, value, onChange }: VisitPhotoPickerProps) {
  const p = t.casework.visits.photos;
  const camera = useRef<HTMLInputElement>(null);
  const gallery = useRef<HTMLInputElement>(null);
  const kept = existing.filter((photo) => !value.removedIds.includes(photo.id));
  const room = MAX_VISIT_PHOTOS - kept.length - value.added.length;
  const previews = useMemo(() => value.added.map((file) => URL.createObjectURL(file)), [value.added]);
  useEffect(() => () => previews.forEach((url) => URL.revokeObjectURL(url)), [previews]);

  const handlePicked = (files: FileList | null) => {
    const picked = Array.from(files ?? []).slice(0, Math.max(0, room));
    if (picked.length > 0) onChange({ ...value, added: [...value.added, ...picked] });
  };

  return (
    <div>
      <div className={styles.grid} role="list" aria-label={p.label}>
        {visitId &&
          kept.map((photo) => (
            <div key={photo.id} className={styles.tile} role="listitem" aria-label={photo.fileName}>
              <img src={photoUrl(visitId, photo.id)} alt={photo.fileName} />
              <Button
                className={styles.remove}
                size="small"
                shape="circle"
                danger
                icon={<CloseOutlined />}
                aria-label={p.remove(photo.fileName)}
                onClick={() => onChange({ ...value, removedIds: [...value.removedIds, photo.id] })}
              />
            </div>
          ))}
        {value.added.map((file, index) => (
          <div key={previews[index]} className={styles.tile} role="listitem" aria-label={file.name}>
            <img src={previews[index]} alt={file.name} />
            <Button
              className={styles.remove}
              size="small"
              shape="circle"
              danger
              icon={<CloseOutlined />}
              aria-label={p.remove(file.name)}
              onClick={() => onChange({ ...value, added: value.added.filter((_, i) => i !== index) })}
            />
          </div>
        ))}
      </div>
      <Space wrap style={{ marginTop: 8 }}>
        <Button
          icon={<CameraOutlined />}
          size="large"
          disabled={room <= 0}
          onClick={() => camera.current?.click()}
        >
          {p.camera}
        </Button>
        <Button
          icon={<PictureOutlined />}
          size="large"
          disabled={room <= 0}
          onClick={() => gallery.current?.click()}
        >
          {p.gallery}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary" style={{ marginTop: 4, marginBottom: 0 }}>
        {p.hint(MAX_VISIT_PHOTOS)}
      </Typography.Paragraph>
      <input
        ref={camera}
        className={styles.hiddenInput}
        type="file"
        accept="image/*"
        capture="environment"
        aria-label={p.camera}
        onChange={(event) => {
          handlePicked(event.target.files);
          event.target.value = '';
        }}
      />
      <input
        ref={gallery}
        className={styles.hiddenInput}
        type="file"
        accept="image/*"
        multiple
        aria-label={p.gallery}
        onChange={(event) => {
          handlePicked(event.target.files);
          event.target.value = '';
        }}
      />
    </div>
  );
}

/** The photos of a visit on its page; a tap opens them large. */
export function VisitPhotoGallery({ visitId, photos }: { visitId: string; photos: VisitPhoto[] }) {
  if (photos.length === 0)
    return <Typography.Text type="secondary">{t.casework.visits.photos.none}</Typography.Text>;
  return (
    <div className={styles.grid} role="list" aria-label={t.casework.visits.photos.label}>
      {photos.map((photo) => (
        <a
          key={photo.id}
          className={styles.tile}
          role="listitem"
          aria-label={photo.fileName}
          href={photoUrl(visitId, photo.id)}
          target="_blank"
          rel="noreferrer"
        >
          <img src={photoUrl(visitId, photo.id)} alt={photo.fileName} loading="lazy" />
        </a>
      ))}
    </div>
  );
}
