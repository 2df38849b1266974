namespace LumaDB.Storage;
