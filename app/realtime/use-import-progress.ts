/** The server's progress on one upload (by the id the page sent with it), from the live channel. */
import { useEffect, useState } from "react";
import type { DatasetImportProgress } from "#app/domain/dataset-import-progress.ts";
import { getSocket } from "./socket.ts";

export function useImportProgress(uploadId: string | null): DatasetImportProgress | null {
  const [progress, setProgress] = useState<DatasetImportProgress | null>(null);
  useEffect(() => {
    setProgress(null);
    if (!uploadId) return;
    const socket = getSocket();
    const onProgress = (message: DatasetImportProgress) => {
      if (message.uploadId === uploadId) setProgress(message);
    };
    socket.on("dataset:import-progress", onProgress);
    return () => {
      socket.off("dataset:import-progress", onProgress);
    };
  }, [uploadId]);
  return progress;
}
