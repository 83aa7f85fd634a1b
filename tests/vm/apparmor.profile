# Confines one copy of the workload, /bin/ltwork-aa: everything allowed
# except writing under /locks/aa/ (audit deny: logged and refused).
profile locktrace-vmtest /bin/ltwork-aa {
  file,
  capability,
  audit deny /locks/aa/** w,
}
