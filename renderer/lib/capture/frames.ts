// Grabs still frames from a playing <video> as JPEG bytes, the format samples are stored in.

const JPEG_QUALITY = 0.92;

/**
 * Resolves when the video presents a frame it has not shown before. Grabbing only new frames keeps
 * a recording free of repeated images when the camera delivers fewer frames per second than asked
 * for (the project would skip the repeats as duplicates).
 */
export function nextVideoFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => resolve());
    else requestAnimationFrame(() => resolve());
  });
}

/** Encodes the video's current frame, unmirrored (the preview mirrors only on screen). */
export async function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (width === 0 || height === 0) throw new Error('The camera has not delivered a frame yet.');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (context === null) throw new Error('Canvas 2D context unavailable.');
  context.drawImage(video, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
  if (blob === null) throw new Error('Encoding the camera frame as JPEG failed.');
  return new Uint8Array(await blob.arrayBuffer());
}
