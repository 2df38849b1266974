# Sourced by the side-by-side scripts: sets LUMA to the command that runs the server they measure. By default the
# shipped binary, NativeAOT, published to artifacts/luma; LUMA_BIN=path uses a given binary, LUMA_JIT=1 the Release
# build on the JIT (which warms up over the first seconds of a run).
if [[ -n "${LUMA_BIN:-}" ]]; then
  LUMA=("$LUMA_BIN")
elif [[ "${LUMA_JIT:-0}" == 1 ]]; then
  dotnet build -c Release -v q -nologo src/LumaDB.Server >/dev/null
  LUMA=(dotnet src/LumaDB.Server/bin/Release/net10.0/luma.dll)
else
  dotnet publish src/LumaDB.Server -c Release -r linux-x64 -o artifacts/luma -v q -nologo >/dev/null
  LUMA=(artifacts/luma/luma)
fi
