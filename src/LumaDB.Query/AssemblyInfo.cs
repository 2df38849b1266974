namespace LumaDB.Query;
