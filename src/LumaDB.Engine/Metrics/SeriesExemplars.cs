namespace LumaDB.Engine.Metrics;

/// <summary>The exemplars of one series, oldest first.</summary>
/// <param name="Series">The series labels.</param>
/// <param name="Exemplars">Its exemplars in the asked window.</param>
public sealed record SeriesExemplars(LabelSet Series, IReadOnlyList<Exemplar> Exemplars);
