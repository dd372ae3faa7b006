// The webcam: device list, chosen device and the live stream, shared by Classes and Preview.

import { videoConstraints } from '../capture/constraints.js';

export class CameraState {
  devices = $state.raw<MediaDeviceInfo[]>([]);
  deviceId = $state<string | undefined>(undefined);
  stream = $state.raw<MediaStream | undefined>(undefined);
  /** Error name from getUserMedia (NotAllowedError, NotFoundError, ...), for a translated message. */
  errorName = $state<string | undefined>(undefined);
  starting = $state(false);

  async start(deviceId = this.deviceId): Promise<void> {
    this.stop();
    this.starting = true;
    this.errorName = undefined;
    try {
      const stream = await navigator.mediaDevices.getUserMedia(videoConstraints(deviceId));
      this.stream = stream;
      this.deviceId = stream.getVideoTracks()[0]?.getSettings().deviceId ?? deviceId;
      // Labels are only filled in once permission is granted, so list devices after starting.
      const all = await navigator.mediaDevices.enumerateDevices();
      this.devices = all.filter((device) => device.kind === 'videoinput');
    } catch (error) {
      this.errorName = (error as DOMException).name || 'Error';
    } finally {
      this.starting = false;
    }
  }

  stop(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
  }

  async choose(deviceId: string): Promise<void> {
    this.deviceId = deviceId;
    await this.start(deviceId);
  }
}
