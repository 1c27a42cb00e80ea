// Seeds the demo customer once payments and onboarding can open accounts. Returns its login, or undefined.
export async function seedDemo() {
  return undefined;
}
