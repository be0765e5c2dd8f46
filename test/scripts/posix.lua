-- posix.lua - Lua 5.4 (the lua5.4 port) on exo, as cases-sys.sh runs it:
-- files, io.popen both ways, os.execute's statuses, os.date, os.getenv,
-- os.tmpname, os.remove and os.rename. One line per failed check, then a count.
local passed, failed = 0, 0
local function check(what, cond)
  if cond then passed = passed + 1 else failed = failed + 1; print("CHECK FAILED: " .. what) end
end

-- Files: write, append, read back by lines and whole, seek.
local name = os.tmpname()
check("tmpname under /tmp", name:match("^/tmp/lua_%w+$") ~= nil)
local f = assert(io.open(name, "w"))
f:write("alpha\n", 42, "\n")
f:close()
f = assert(io.open(name, "a")); f:write("omega\n"); f:close()
local lines = {}
for l in io.lines(name) do lines[#lines + 1] = l end
check("lines read back", #lines == 3 and lines[1] == "alpha" and lines[2] == "42" and lines[3] == "omega")
f = assert(io.open(name, "r"))
check("seek to end is the size", f:seek("end") == 15)
f:seek("set", 6)
check("read a number", f:read("n") == 42)
f:close()

-- os.rename and os.remove, and their errors.
local moved = name .. ".moved"
check("rename", os.rename(name, moved) == true)
check("old name gone", io.open(name, "r") == nil)
local ok, msg, code = os.remove(name)
check("remove of a missing file fails with ENOENT", ok == nil and msg:match("No such file") and code == 2)
check("remove", os.remove(moved) == true)
ok, msg = io.open("/bin/lua", "w")
check("the initrd is read-only", ok == nil and msg:match("Read%-only file system"))

-- io.popen: read a command's output, write its input, and the exit statuses.
local p = assert(io.popen("echo from-sh; echo second", "r"))
check("popen read", p:read("l") == "from-sh" and p:read("a") == "second\n")
local okc, how, st = p:close()
check("popen close status", okc == true and how == "exit" and st == 0)
p = assert(io.popen("wc -l > " .. name, "w"))
p:write("1\n2\n3\n")
check("popen write close", p:close() == true)
f = assert(io.open(name)); check("wc counted what we wrote", f:read("n") == 3); f:close()
os.remove(name)
okc, how, st = io.popen("exit 4"):close()
check("popen exit status", okc == nil and how == "exit" and st == 4)

-- os.execute: a shell exists; exit statuses and a signal.
check("os.execute() says a shell exists", os.execute() == true)
okc, how, st = os.execute("true")
check("execute true", okc == true and how == "exit" and st == 0)
okc, how, st = os.execute("exit 3")
check("execute exit 3", okc == nil and how == "exit" and st == 3)
okc, how, st = os.execute("kill -9 $$")
check("execute killed by signal 9", okc == nil and how == "signal" and st == 9)
okc, how, st = os.execute("no-such-command 2>/dev/null")
check("execute not found is 127", how == "exit" and st == 127)

-- os.getenv.
check("getenv HOME", os.getenv("HOME") == "/tmp")
check("getenv PATH", os.getenv("PATH") ~= nil)
check("getenv missing", os.getenv("NO_SUCH_VARIABLE_HERE") == nil)

-- os.date and os.time: the real date (after 2024), consistent with each other.
local now = os.time()
check("time is real", now > 1704067200)
local t = os.date("!*t", now)
check("date table", t.year >= 2024 and t.month >= 1 and t.month <= 12 and t.day >= 1)
check("date format", os.date("!%Y-%m-%d %H:%M:%S", 0) == "1970-01-01 00:00:00")
check("time of a date table", os.time({year = 2000, month = 1, day = 1, hour = 0}) == 946684800)
check("clock runs", os.clock() >= 0)

print(string.format("lua: %d checks passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
