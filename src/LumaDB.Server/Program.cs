using LumaDB.Server.Cli;

return await LumaCommandLine.RunAsync(args);
