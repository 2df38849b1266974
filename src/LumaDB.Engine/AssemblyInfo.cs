namespace LumaDB.Engine;
