/* A stand-in for bcryptprimitives.dll, for Wine before 9.0 only.
 *
 * Rust's standard library (1.78 and later) takes its random seeds from ProcessPrng in
 * bcryptprimitives.dll, which every supported Windows has but Wine 8 (Debian 12's) does
 * not: a Rust program then fails to start (status c0000135). This DLL forwards
 * ProcessPrng to RtlGenRandom (advapi32's SystemFunction036), which Wine does have.
 * tests/windows-smoke.sh builds it and puts it beside kefu.exe only when the program
 * does not start without it; it is never shipped with kefu. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
