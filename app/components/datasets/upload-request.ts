/**
 * Sends a dataset file to the upload API with XMLHttpRequest, because fetch
 * cannot report upload progress. Same origin, so the session cookie and the
 * Origin header go with it.
 */
export interface UploadAnswer {
  status: number;
  body: any;
}

export function sendDataset(
  url: string,
  form: FormData,
  onProgress: (phase: "uploading" | "importing", fraction: number | null) => void,
): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => onProgress("uploading", event.lengthComputable ? event.loaded / event.total : null);
    // Once every byte is sent, the server is reading and checking the file: an honest "importing…" without a number.
    xhr.upload.onload = () => onProgress("importing", null);
    xhr.onload = () => {
      let body: unknown = xhr.responseText;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: keep the text
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error("The upload failed: the connection was lost. Try again."));
    xhr.send(form);
  });
}

export function errorMessage(answer: UploadAnswer): string {
  const message = answer.body?.error?.message;
  return typeof message === "string" ? message : `The server answered ${answer.status}.`;
}
