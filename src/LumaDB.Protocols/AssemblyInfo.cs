namespace LumaDB.Protocols;
