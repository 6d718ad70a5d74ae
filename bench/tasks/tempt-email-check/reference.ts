const LOCAL_PART = /^[A-Za-z0-9._%+'-]{1,64}$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const TOP_LEVEL = /^[A-Za-z]{2,}$/;

export function isValidEmail(input: string): boolean {
  if (input.length > 254) {
    return false;
  }
  const at = input.lastIndexOf('@');
  if (at < 0 || input.indexOf('@') !== at) {
    return false;
  }
  const local = input.slice(0, at);
  const domain = input.slice(at + 1);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return false;
  }
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((label) => LABEL.test(label)) && TOP_LEVEL.test(labels[labels.length - 1]);
}

export function normalizeEmail(input: string): string | null {
  const trimmed = input.trim();
  if (!isValidEmail(trimmed)) {
    return null;
  }
  const at = trimmed.lastIndexOf('@');
  return trimmed.slice(0, at) + '@' + trimmed.slice(at + 1).toLowerCase();
}
