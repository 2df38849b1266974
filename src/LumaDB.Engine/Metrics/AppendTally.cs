using LumaDB.Storage.TimeSeries;

namespace LumaDB.Engine.Metrics;

/// <summary>Counts the hot tier's verdicts on the samples (float or histogram) of one write.</summary>
internal struct AppendTally
{
    public int Written;
    public int Late;
    public int Duplicates;
    public int TooOld;
    public int Conflicts;

    public void Count(SeriesAppendResult verdict)
    {
        switch (verdict)
        {
            case SeriesAppendResult.Appended:
                Written++;
                break;
            case SeriesAppendResult.AppendedOutOfOrder:
                Written++;
                Late++;
                break;
            case SeriesAppendResult.Duplicate:
                Duplicates++;
                break;
            case SeriesAppendResult.TooOld:
                TooOld++;
                break;
            default:
                Conflicts++;
                break;
        }
    }
}
