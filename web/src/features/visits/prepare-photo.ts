/** Longest side of a photo as it is sent: plenty for a register or an evidence pack, small on mobile data. */
const MAX_SIDE = 2048;

/**
 * Redraws a photo before it is sent: upright (the camera's orientation applied), at most 2048 px on
 * its longest side, as a JPEG. What the camera wrote beside the pixels (EXIF, with the GPS position
 * of the household) is not drawn, so it never leaves the phone. A file the browser cannot draw
 * (not an image, or a format it does not read) is sent as it is, for the server to judge.
 */
export async function preparePhoto(file: File): Promise<File> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext('2d');
    if (!context) return file;
    // A transparent PNG would turn black as a JPEG.
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob) return file;
    const stem = file.name.replace(/\.[^.]*$/, '') || 'photo';
    return new File([blob], `${stem}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}
