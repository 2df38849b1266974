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
    /// <summary>2201B invalid_regular_expression.</summary>
    public const string InvalidRegularExpression = "2201B";
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
    /// <summary>22P04 bad_copy_file_format.</summary>
    public const string BadCopyFileFormat = "22P04";
    /// <summary>54000 program_limit_exceeded.</summary>
    public const string ProgramLimitExceeded = "54000";
    /// <summary>42501 insufficient_privilege.</summary>
    public const string InsufficientPrivilege = "42501";
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

    /// <summary>Out of memory (work memory limit exceeded).</summary>
    public const string OutOfMemory = "53200";

    /// <summary>The statement was cancelled.</summary>
    public const string QueryCanceled = "57014";

    /// <summary>The table or view does not exist.</summary>
    public const string UndefinedTable = "42P01";

    /// <summary>The table already exists.</summary>
    public const string DuplicateTable = "42P07";

    /// <summary>The schema already exists.</summary>
    public const string DuplicateSchema = "42P06";

    /// <summary>The object already exists.</summary>
    public const string DuplicateObject = "42710";

    /// <summary>The column already exists.</summary>
    public const string DuplicateColumn = "42701";

    /// <summary>The schema does not exist.</summary>
    public const string InvalidSchemaName = "3F000";

    /// <summary>A column name matches more than one column.</summary>
    public const string AmbiguousColumn = "42702";

    /// <summary>A column must appear in GROUP BY or be used in an aggregate.</summary>
    public const string GroupingError = "42803";

    /// <summary>Window function misuse.</summary>
    public const string WindowingError = "42P20";

    /// <summary>Duplicate key value.</summary>
    public const string UniqueViolation = "23505";

    /// <summary>23503 foreign_key_violation.</summary>
    public const string ForeignKeyViolation = "23503";

    /// <summary>42830 invalid_foreign_key.</summary>
    public const string InvalidForeignKey = "42830";

    /// <summary>A null where the operation needs a value (set_config's name).</summary>
    public const string NullValueNotAllowed = "22004";

    /// <summary>Null value in a NOT NULL column.</summary>
    public const string NotNullViolation = "23502";

    /// <summary>check_violation: a row makes a CHECK constraint false.</summary>
    public const string CheckViolation = "23514";

    /// <summary>The transaction is aborted; commands are ignored until ROLLBACK.</summary>
    public const string InFailedTransaction = "25P02";

    /// <summary>A transaction is already in progress.</summary>
    public const string ActiveTransaction = "25001";

    /// <summary>There is no transaction in progress.</summary>
    public const string NoActiveTransaction = "25P01";

    /// <summary>The transaction conflicted with another and was rolled back.</summary>
    public const string SerializationFailure = "40001";

    /// <summary>Waiting for a row lock would have closed a cycle of waiting transactions.</summary>
    public const string DeadlockDetected = "40P01";

    /// <summary>A row lock was not granted within lock_timeout.</summary>
    public const string LockNotAvailable = "55P03";

    /// <summary>A subquery returned more than one row where one was expected.</summary>
    public const string CardinalityViolation = "21000";

    /// <summary>LIMIT must not be negative.</summary>
    public const string InvalidRowCountInLimit = "2201W";

    /// <summary>OFFSET must not be negative.</summary>
    public const string InvalidRowCountInOffset = "2201X";

    /// <summary>The savepoint does not exist.</summary>
    public const string InvalidSavepoint = "3B001";

    /// <summary>ORDER BY position out of range and similar.</summary>
    public const string InvalidColumnReference = "42P10";

    /// <summary>Other objects depend on the object.</summary>
    public const string DependentObjectsStillExist = "2BP01";

    /// <summary>A sequence without CYCLE ran past its end.</summary>
    public const string SequenceGeneratorLimitExceeded = "2200H";

    /// <summary>currval or lastval before nextval in the session, and other calls out of order.</summary>
    public const string ObjectNotInPrerequisiteState = "55000";

    /// <summary>A value given for a GENERATED ALWAYS column.</summary>
    public const string GeneratedAlways = "428C9";

    /// <summary>The object is of the wrong kind.</summary>
    public const string WrongObjectType = "42809";

    /// <summary>The table definition is invalid.</summary>
    public const string InvalidTableDefinition = "42P16";

    /// <summary>The setting cannot be changed.</summary>
    public const string CantChangeRuntimeParam = "55P02";

    /// <summary>array_subscript_error.</summary>
    public const string ArraySubscriptError = "2202E";
}
