// getUserMedia constraints. Audio capture turns off the browser's voice processing, because
// echo cancellation, noise suppression and automatic gain change the very sounds a classifier
// learns from (a clap, a keyword) differently from one clip to the next.

// NOTE: no screen records audio yet (the engine trains image projects); these constraints are for
// the microphone capture that audio projects will use.
export const AUDIO_CONSTRAINTS: MediaTrackConstraints = Object.freeze({
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  channelCount: 1,
});

export function videoConstraints(deviceId: string | undefined): MediaStreamConstraints {
  return {
    audio: false,
    video: deviceId ? { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } } : { width: { ideal: 640 }, height: { ideal: 480 } },
  };
}

export function audioConstraints(deviceId: string | undefined): MediaStreamConstraints {
  return { video: false, audio: deviceId ? { ...AUDIO_CONSTRAINTS, deviceId: { exact: deviceId } } : { ...AUDIO_CONSTRAINTS } };
}
