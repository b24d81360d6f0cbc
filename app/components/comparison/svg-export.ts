/** Saving a forest plot from the browser: the SVG as drawn, or a PNG drawn from it on a canvas. */

function serialise(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const [, , width, height] = (svg.getAttribute("viewBox") ?? "0 0 1000 600").split(/\s+/).map(Number);
  // On screen the plot scales to its container; a file needs its own size.
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

function save(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadSvg(svg: SVGSVGElement, fileName: string) {
  const { text } = serialise(svg);
  save(new Blob([`<?xml version="1.0" encoding="UTF-8"?>\n${text}`], { type: "image/svg+xml" }), fileName);
}

/** Twice the plot's size, so the PNG stays sharp in a slide or a paper draft. */
export function downloadPng(svg: SVGSVGElement, fileName: string, scale = 2) {
  const { text, width, height } = serialise(svg);
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext("2d");
    if (!context) return;
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    canvas.toBlob((blob) => blob && save(blob, fileName), "image/png");
  };
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
}
