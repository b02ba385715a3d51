// The signs live with drover doctor's driver (src/doctor/signs.ts); the recorder goes by the same.
export { showsBusy, SIGNS, type ScreenSigns } from '../../src/doctor/signs.ts';
