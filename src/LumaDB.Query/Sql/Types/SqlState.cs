namespace LumaDB.Query.Sql.Types;

/// <summary>The SQLSTATE codes the SQL engine raises, named as PostgreSQL's errcodes appendix names them.</summary>
public static class SqlState
{
    /// <summary>22000 data_exception.</summary>
    public const string DataException = "22000";
    /// <summary>22001 string_data_right_truncation.</summary>
    public const string StringDataRightTruncation = "22001";
    /// <summary>22003 numeric_value_out_of_range.</summary>
    public const string NumericValueOutOfRange = "22003";
    /// <summary>22007 invalid_datetime_format.</summary>
    public const string InvalidDatetimeFormat = "22007";
    /// <summary>22008 datetime_field_overflow.</summary>
    public const string DatetimeFieldOverflow = "22008";
    /// <summary>22012 division_by_zero.</summary>
    public const string DivisionByZero = "22012";
    /// <summary>22023 invalid_parameter_value.</summary>
    public const string InvalidParameterValue = "22023";
    /// <summary>2201F invalid_argument_for_power_function.</summary>
    public const string InvalidArgumentForPowerFunction = "2201F";
    /// <summary>2201E invalid_argument_for_logarithm.</summary>
    public const string InvalidArgumentForLogarithm = "2201E";
    /// <summary>22025 invalid_escape_sequence.</summary>
    public const string InvalidEscapeSequence = "22025";
    /// <summary>22011 substring_error.</summary>
    public const string SubstringError = "22011";
    /// <summary>22P02 invalid_text_representation.</summary>
    public const string InvalidTextRepresentation = "22P02";
    /// <summary>0A000 feature_not_supported.</summary>
    public const string FeatureNotSupported = "0A000";
    /// <summary>42601 syntax_error.</summary>
    public const string SyntaxError = "42601";
    /// <summary>42703 undefined_column.</summary>
    public const string UndefinedColumn = "42703";
    /// <summary>42704 undefined_object (unknown type names).</summary>
    public const string UndefinedObject = "42704";
    /// <summary>42725 ambiguous_function.</summary>
    public const string AmbiguousFunction = "42725";
    /// <summary>42804 datatype_mismatch.</summary>
    public const string DatatypeMismatch = "42804";
    /// <summary>42846 cannot_coerce.</summary>
    public const string CannotCoerce = "42846";
    /// <summary>42883 undefined_function (also for missing operators).</summary>
    public const string UndefinedFunction = "42883";
    /// <summary>42P18 indeterminate_datatype.</summary>
    public const string IndeterminateDatatype = "42P18";
    /// <summary>XX000 internal_error.</summary>
    public const string InternalError = "XX000";
}
